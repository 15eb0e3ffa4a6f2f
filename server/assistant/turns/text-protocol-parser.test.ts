import { describe, expect, it } from 'vitest';
import { TextProtocolParser, type TextProtocolEvent } from './text-protocol-parser';

/** Feeds `chunks`, then ends; adjacent text events joined (chunking may split them anywhere). */
function parse(chunks: string[]): TextProtocolEvent[] {
  const parser = new TextProtocolParser();
  const events = [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.end()];
  const joined: TextProtocolEvent[] = [];
  for (const event of events) {
    const last = joined.at(-1);
    if (event.type === 'text' && last?.type === 'text') last.text += event.text;
    else joined.push({ ...event });
  }
  return joined;
}

const oneCharAtATime = (text: string) => [...text];

/** The same answer parsed whole, a character at a time, and in uneven pieces, must agree. */
function parseEveryWay(text: string): TextProtocolEvent[] {
  const whole = parse([text]);
  expect(parse(oneCharAtATime(text))).toEqual(whole);
  const pieces: string[] = [];
  for (let at = 0, size = 1; at < text.length; at += size, size = (size % 7) + 2)
    pieces.push(text.slice(at, at + size));
  expect(parse(pieces)).toEqual(whole);
  return whole;
}

describe('TextProtocolParser', () => {
  it('finds file and shell blocks between prose, however the answer is split', () => {
    const answer = [
      "I'll create the app.",
      '```file path=src/App.jsx',
      'export default function App() {',
      '  return <h1>Hi</h1>;',
      '}',
      '```',
      'Then install it:',
      '```shell',
      'npm install zustand',
      '```',
      'Done.',
    ].join('\n');
    expect(parseEveryWay(answer)).toEqual([
      { type: 'text', text: "I'll create the app.\n" },
      {
        type: 'file',
        path: 'src/App.jsx',
        content: 'export default function App() {\n  return <h1>Hi</h1>;\n}\n',
      },
      { type: 'text', text: 'Then install it:\n' },
      { type: 'shell', command: 'npm install zustand' },
      { type: 'text', text: 'Done.' },
    ]);
  });

  it('shows prose as it arrives: a line not starting with a backtick is not held back', () => {
    const parser = new TextProtocolParser();
    expect(parser.push('Hel')).toEqual([{ type: 'text', text: 'Hel' }]);
    expect(parser.push('lo\n')).toEqual([{ type: 'text', text: 'lo\n' }]);
    expect(parser.push('``')).toEqual([]); // may be a fence: held
    expect(parser.push('`file path=a.txt\nA')).toEqual([]);
    expect(parser.push('\n```\n')).toEqual([{ type: 'file', path: 'a.txt', content: 'A\n' }]);
    expect(parser.push('``no fence')).toEqual([{ type: 'text', text: '``no fence' }]);
    expect(parser.end()).toEqual([]);
  });

  it('takes quoted paths, an empty file, a longer fence holding a shorter one, and a closer at the very end', () => {
    const answer = [
      '```file path="docs/read me.md"',
      '````',
      '````file path=README.md',
      '# Title',
      '```js',
      'x();',
      '```',
      '````',
      "```file path='empty.txt'",
      '```',
    ].join('\n');
    // The first block holds a 4-backtick line: its closing fence is at least 3 backticks, so it closes it.
    expect(parseEveryWay(answer)).toEqual([
      { type: 'file', path: 'docs/read me.md', content: '' },
      { type: 'file', path: 'README.md', content: '# Title\n```js\nx();\n```\n' },
      { type: 'file', path: 'empty.txt', content: '' },
    ]);
  });

  it('keeps ordinary code fences as prose, blocks inside them included', () => {
    const answer = ['Example:', '```md', '```file path=x.js', 'no', '```', 'after'].join('\n');
    expect(parseEveryWay(answer)).toEqual([{ type: 'text', text: answer }]);
    expect(parseEveryWay('Use ```x``` inline\nok')).toEqual([{ type: 'text', text: 'Use ```x``` inline\nok' }]);
  });

  it('reports a block the answer ends inside as unterminated, with nothing of it applied', () => {
    expect(parseEveryWay('Here:\n```file path=src/big.js\nline 1\nline 2')).toEqual([
      { type: 'text', text: 'Here:\n' },
      { type: 'unterminated', block: 'file', path: 'src/big.js' },
    ]);
    expect(parseEveryWay('```shell\nnpm test\n``')).toEqual([{ type: 'unterminated', block: 'shell' }]);
    expect(parseEveryWay('```file path=a.txt')).toEqual([{ type: 'unterminated', block: 'file', path: 'a.txt' }]);
  });

  it('reports a file block without a path (to be refused by whoever applies it) and multi-line shell blocks', () => {
    expect(parseEveryWay('```file\nx\n```\n```shell\n\nnpm i\nnpm test\n\n```\n')).toEqual([
      { type: 'file', path: undefined, content: 'x\n' },
      { type: 'shell', command: 'npm i\nnpm test' },
    ]);
  });

  it('passes paths as written, outside the project too (the writer refuses them)', () => {
    expect(parseEveryWay('```file path=../../etc/passwd\nroot\n```')).toEqual([
      { type: 'file', path: '../../etc/passwd', content: 'root\n' },
    ]);
  });
});
