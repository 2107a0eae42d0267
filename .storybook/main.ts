/** Storybook configuration (Storybook 10, React + Vite). Stories sit beside the components in app/. */
export default {
  stories: ['../app/**/*.stories.@(ts|tsx)'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true },
};
