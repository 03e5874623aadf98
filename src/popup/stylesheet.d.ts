// A view's own stylesheet, imported for its side effect: vite loads it with the view's code.
declare module '*.css';
