// An independent check of Slack's documented Block Kit limits (not the renderer's own constants).
const limits = {
  blocks: 50,
  sectionText: 3_000,
  contextElements: 10,
  actionsElements: 25,
  contextActionsElements: 5,
  buttonText: 75,
  buttonValue: 2_000,
  actionId: 255,
};

function textProblems(where: string, text: unknown, max: number): string[] {
  if (typeof text !== 'string' || text.length === 0) return [`${where}: empty text`];
  const problems: string[] = [];
  if (text.length > max) problems.push(`${where}: ${text.length} characters > ${max}`);
  // A link or a citation marker cut in half leaves an unclosed < or a dangling [n.
  if ((text.match(/</g) ?? []).length !== (text.match(/>/g) ?? []).length)
    problems.push(`${where}: unbalanced < >`);
  if (/\[\d*$/.test(text) || /^\d*\]/.test(text)) problems.push(`${where}: a citation marker cut in half`);
  return problems;
}

function buttonProblems(where: string, button: any): string[] {
  const problems: string[] = [];
  if (button.text?.text?.length > limits.buttonText) problems.push(`${where}: button text too long`);
  if (typeof button.value === 'string' && button.value.length > limits.buttonValue)
    problems.push(`${where}: value ${button.value.length} > ${limits.buttonValue}`);
  if (typeof button.action_id === 'string' && button.action_id.length > limits.actionId)
    problems.push(`${where}: action_id too long`);
  return problems;
}

/** Every problem a message's blocks have against Slack's limits; empty when valid. */
export function blockKitProblems(message: { text?: unknown; blocks?: any[] }): string[] {
  const problems: string[] = [];
  const blocks = message.blocks ?? [];
  if (typeof message.text !== 'string' || message.text.length === 0)
    problems.push('message: no fallback text');
  if (blocks.length > limits.blocks) problems.push(`message: ${blocks.length} blocks > ${limits.blocks}`);
  blocks.forEach((block, index) => {
    const where = `block ${index} (${block.type})`;
    if (block.type === 'section') problems.push(...textProblems(where, block.text?.text, limits.sectionText));
    else if (block.type === 'context') {
      if (block.elements.length > limits.contextElements)
        problems.push(`${where}: ${block.elements.length} elements`);
      block.elements.forEach((element: any, position: number) =>
        problems.push(...textProblems(`${where} element ${position}`, element.text, limits.sectionText)),
      );
    } else if (block.type === 'actions') {
      if (block.elements.length > limits.actionsElements) problems.push(`${where}: too many elements`);
      const ids = block.elements.map((element: any) => element.action_id);
      if (new Set(ids).size !== ids.length) problems.push(`${where}: repeated action_id`);
      block.elements.forEach((element: any, position: number) =>
        problems.push(...buttonProblems(`${where} element ${position}`, element)),
      );
    } else if (block.type === 'context_actions') {
      if (block.elements.length > limits.contextActionsElements) problems.push(`${where}: too many elements`);
      for (const element of block.elements) {
        if (element.type !== 'feedback_buttons') continue;
        problems.push(
          ...buttonProblems(`${where} positive`, element.positive_button),
          ...buttonProblems(`${where} negative`, element.negative_button),
        );
      }
    } else if (block.type !== 'divider' && block.type !== 'header')
      problems.push(`${where}: unexpected block type`);
  });
  return problems;
}
