/** sshlens entry point: the analyzer, and the lessons under `#/lessons` (lessons/site/SiteRoot.tsx). */
import { createRoot } from 'react-dom/client';
import './styles.css';
import { App } from './App.tsx';
import { SiteRoot } from '../lessons/site/SiteRoot.tsx';

createRoot(document.getElementById('root')!).render(<SiteRoot analyzer={() => <App />} />);
