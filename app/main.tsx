/** sshlens analyzer entry point. The full UI arrives with the UI issue; until then a placeholder page. */
import { createRoot } from 'react-dom/client';

function Placeholder() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: '40rem', margin: '3rem auto' }}>
      <h1>sshlens</h1>
      <p>An SSH protocol analyzer and teaching visualizer. The analyzer UI is under construction.</p>
      <p>Everything runs in your browser: no capture or key ever leaves this page.</p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<Placeholder />);
