// Page object for the file tree and the editor, plus a second socket for lock tests.
import { io, type Socket } from 'socket.io-client';
import { expect, type BrowserContext, type Locator } from '@playwright/test';
import { sameOrigin } from './api';
import { PageObject } from './pages';

export class FilesPanel extends PageObject {
  readonly tree = this.page.getByTestId('file-tree');
  readonly tabs = this.page.getByTestId('editor-tab');
  readonly conflictBanner = this.page.getByTestId('conflict-banner');
  /** The visible Monaco's text lines (spaces render as no-break spaces). */
  readonly editorText = this.page.locator('[data-testid="monaco-host"] .view-lines');

  async expectReady(): Promise<void> {
    await expect(this.tree).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  }

  node(path: string): Locator {
    return this.tree.locator(`[data-testid="file-node"][data-path="${path}"]`);
  }

  tab(path: string): Locator {
    return this.page.locator(`[data-testid="editor-tab"][data-path="${path}"]`);
  }

  async createFile(name: string): Promise<void> {
    await this.page.getByTestId('new-file').click();
    const input = this.page.getByTestId('file-tree-input');
    await input.fill(name);
    // Like a person: Enter goes to whatever has focus. (A re-render that blurs the input
    // commits the name too, and then the input is gone before a locator.press could run.)
    await this.page.keyboard.press('Enter');
    await expect(this.node(name)).toBeVisible();
    await expect(this.tab(name)).toHaveAttribute('aria-selected', 'true');
  }

  async open(path: string): Promise<void> {
    await this.node(path).click();
    await expect(this.tab(path)).toHaveAttribute('aria-selected', 'true');
    await expect(this.page.locator('[data-testid="monaco-host"] .monaco-editor')).toBeVisible();
  }

  /** Clicks into the editor, goes to the end of the file and types. */
  async typeInEditor(text: string): Promise<void> {
    await this.editorText.click();
    await this.page.keyboard.press('Control+End');
    await this.page.keyboard.type(text);
  }

  async setAutosave(on: boolean): Promise<void> {
    await this.page.getByTestId('autosave-toggle').setChecked(on);
  }
}

/** A second Socket.IO client signed in with the context's cookie (as another tab would be). */
export async function socketFor(context: BrowserContext, baseURL: string): Promise<Socket> {
  const cookies = await context.cookies(baseURL);
  const cookie = cookies.map((item) => `${item.name}=${item.value}`).join('; ');
  const socket = io(baseURL, {
    transports: ['websocket'],
    extraHeaders: { cookie, origin: sameOrigin.Origin },
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

export function emitAck<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    socket
      .timeout(15_000)
      .emit(event, payload, (error: Error | null, result: { ok: boolean; data?: T; error?: { message: string } }) => {
        if (error) reject(error);
        else if (result.ok) resolve(result.data as T);
        else reject(new Error(result.error?.message ?? 'failed'));
      });
  });
}
