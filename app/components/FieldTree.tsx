/**
 * The field tree of a message (and the packet's own fields): name, type, value, byte span, and for every field its
 * explanation and RFC section. Hovering a field highlights its bytes in every layer; clicking selects it. "Annotate
 * all" prints every explanation inline, as the Illustrated TLS pages do.
 */
import type { DecodedField } from '../../engine/trace/fields.ts';
import type { FieldKey } from '../lib/layers.ts';
import { formatValue } from '../lib/format.ts';
import { InertText } from './InertText.tsx';

export interface TreeField {
  key: FieldKey;
  name: string;
  type: string;
  start: number;
  end: number;
  value?: unknown;
  /** The name of a code (reason code, opcode) when the catalog lists it. */
  valueName?: string;
  unknown?: boolean;
  doc?: string;
  rfc?: string;
  children?: TreeField[];
}

export function messageTreeFields(fields: readonly DecodedField[]): TreeField[] {
  return fields.map((field) => ({
    key: `message:${field.path}`, name: field.name, type: field.type, start: field.span.start, end: field.span.end,
    value: field.value, valueName: field.valueName, unknown: field.unknown, doc: field.doc, rfc: field.rfc, children: field.children ? messageTreeFields(field.children) : undefined,
  }));
}

export interface FieldTreeProps {
  label: string;
  fields: readonly TreeField[];
  selected: FieldKey | null;
  highlighted: FieldKey | null;
  annotate?: boolean;
  onSelect: (key: FieldKey) => void;
  onHover: (key: FieldKey | null) => void;
}

export function FieldTree({ label, fields, selected, highlighted, annotate = false, onSelect, onHover }: FieldTreeProps) {
  return (
    <div className="field-tree" onMouseLeave={() => onHover(null)}>
      <FieldList label={label} fields={fields} selected={selected} highlighted={highlighted} annotate={annotate} onSelect={onSelect} onHover={onHover} />
    </div>
  );
}

function FieldList(props: FieldTreeProps) {
  const { label, fields, selected, highlighted, annotate, onSelect, onHover } = props;
  return (
    <ul aria-label={label}>
      {fields.map((field) => {
        const isSelected = field.key === selected;
        const showDoc = annotate || isSelected;
        const value = formatValue(field.value);
        return (
          <li key={field.key} className={`ft-item${field.key === highlighted ? ' ft-hl' : ''}`}>
            <button
              type="button"
              className="ft-field"
              aria-pressed={isSelected}
              data-field={field.key}
              onClick={() => onSelect(field.key)}
              onMouseEnter={() => onHover(field.key)}
              onFocus={() => onHover(field.key)}
              title={field.doc ? `${field.doc}${field.rfc ? ` (${field.rfc})` : ''}` : undefined}
            >
              <span className="ft-name">{field.name}</span> <span className="ft-type muted">{field.type}</span>{' '}
              {value && <span className="ft-value"><InertText text={value} /></span>}{' '}
              {field.valueName && <span className="ft-valuename">({field.valueName})</span>}{' '}
              {field.unknown && <span className="warning">unknown layout</span>}{' '}
              <span className="ft-span muted">[{field.start}..{field.end})</span>
            </button>
            {showDoc && field.doc && (
              <p className="ft-doc">
                <InertText text={field.doc} />
                {field.rfc && <> <cite>{field.rfc}</cite></>}
              </p>
            )}
            {field.children && field.children.length > 0 && <FieldList {...props} label={`${field.name} fields`} fields={field.children} />}
          </li>
        );
      })}
    </ul>
  );
}
