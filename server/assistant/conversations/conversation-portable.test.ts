// The conversation-only download is named after its title: a lowercase ASCII slug, never empty,
// never a path or a quote that would break the Content-Disposition header.
import { describe, expect, it } from 'vitest';
import { conversationFileName } from './conversation-portable';

describe('conversationFileName', () => {
  it.each([
    ['Dark theme: v2!', 'dark-theme-v2.json'],
    ['  Make me a TODO app  ', 'make-me-a-todo-app.json'],
    ['Crème brûlée', 'creme-brulee.json'],
    ['../../etc/passwd', 'etc-passwd.json'],
    ['say "hi"; rm -rf /', 'say-hi-rm-rf.json'],
    ['日本語', 'conversation.json'],
    ['!!!', 'conversation.json'],
  ])('%j → %s', (title, fileName) => {
    expect(conversationFileName(title)).toBe(fileName);
  });

  it('keeps long titles to 80 characters, without a trailing dash', () => {
    const name = conversationFileName(`${'a'.repeat(79)} b${'c'.repeat(50)}`);
    expect(name).toBe(`${'a'.repeat(79)}.json`);
  });
});
