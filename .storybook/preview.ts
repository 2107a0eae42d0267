/** Story defaults: every story's accessibility check fails the test on a violation; the app's and the lessons' stylesheets apply. */
import type { Preview } from '@storybook/react-vite';
import '../app/styles.css';
import '../lessons/site/site.css';
import '../lessons/site/lessons.css';

const preview: Preview = {
  parameters: {
    a11y: { test: 'error' },
    layout: 'padded',
  },
};
export default preview;
