// A few lines instead of a framework: elements are built from data, text is always a text node
// (never HTML), so an answer cannot inject markup, and the CSP needs no inline anything.

type Child = Node | string | false | null | undefined;
type Attributes = Record<string, string | boolean | undefined | ((event: Event) => void)>;

/** Creates an element; `on…` attributes become listeners, booleans toggle attributes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children)
    if (child !== false && child !== null && child !== undefined)
      parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
}

/** Replaces an element's children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** Only http(s) and mailto links are rendered as links. */
export const safeUrl = (url: string | undefined) =>
  url && /^(https?:\/\/|mailto:)/i.test(url) ? url : undefined;

/** A link that opens outside the app, announced as such. */
export function externalLink(url: string | undefined, text: string, label?: string): Node {
  const href = safeUrl(url);
  if (!href) return document.createTextNode(text);
  return h(
    'a',
    { href, target: '_blank', rel: 'noopener noreferrer', ...(label ? { 'aria-label': label } : {}) },
    text,
  );
}
