interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

/**
 * A remark plugin that shows raw HTML in model output as literal text: nothing the model writes is ever parsed as
 * markup, yet a reply that talks about `<div>` still shows it instead of silently dropping it.
 */
export function remarkHtmlAsText() {
  return (tree: MdNode) => {
    const walk = (node: MdNode) => {
      if (node.type === 'html') node.type = 'text';
      node.children?.forEach(walk);
    };
    walk(tree);
  };
}
