// Loaded only when an answer contains math: KaTeX's code, its stylesheet and (through the stylesheet) its fonts,
// all bundled with the app and served from its own origin, as the CSP requires.
import 'katex/dist/katex.min.css';
export { default as rehypeKatex } from 'rehype-katex';
