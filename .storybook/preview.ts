/** Story defaults: every story's accessibility check fails the test on a violation; the app's stylesheet applies. */
import type { Preview } from '@storybook/react-vite';
import '../app/styles.css';

const preview: Preview = {
  parameters: {
    a11y: { test: 'error' },
    layout: 'padded',
  },
};
export default preview;
