/**
 * A long answer as a model writes one: prose, lists, a table, math and several code blocks (one of them long), the
 * same every run. Cut into ~4-character tokens, as a provider streams it.
 */
const SECTIONS = [
  (i: number) =>
    `## Step ${i}: reading the input\n\nThe parser reads the file line by line and keeps **only** the rows whose \`status\` is \`active\`; everything else is counted and reported at the end, so nothing is dropped silently. See [the docs](https://example.com/docs/${i}) for the format.\n\n`,
  (i: number) =>
    `- First, open the file with \`open(path, encoding="utf-8")\`.\n- Then split each line on tabs.\n- Finally, convert the numbers (step ${i}).\n\n`,
  (i: number) =>
    `\`\`\`python\ndef load_rows_${i}(path):\n    rows = []\n    with open(path, encoding="utf-8") as f:\n        for line in f:\n            fields = line.rstrip("\\n").split("\\t")\n            if fields[2] == "active":\n                rows.append({"id": int(fields[0]), "name": fields[1]})\n    return rows\n\`\`\`\n\n`,
  (i: number) => `The cost grows as $O(n \\log n)$ for sorting, and the total is \\(\\sum_{k=1}^{${i}} k\\,\\text{ms}\\).\n\n`,
  (i: number) => `| Column | Type | Note |\n|---|---|---|\n| id | int | step ${i} |\n| name | text | trimmed |\n| status | enum | active or not |\n\n`,
  (i: number) =>
    `\`\`\`ts\n${Array.from({ length: 24 }, (_, k) => `export const handler${i}_${k} = async (input: { id: number; name: string }) => ({ ...input, seen: ${k} });`).join('\n')}\n\`\`\`\n\n`,
];

export function longAnswer(chars: number): string {
  let text = '';
  for (let i = 0; text.length < chars; i++) text += SECTIONS[i % SECTIONS.length]!(Math.floor(i / SECTIONS.length) + 1);
  return `${text.slice(0, chars).trimEnd()}\n`;
}

export function tokens(text: string, size = 4): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
