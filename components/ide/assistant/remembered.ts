// The Assistant's choices remembered in this browser: the model, and the open conversation of
// each project. localStorage may refuse (private mode): then a choice lasts for this page only.
export const MODEL_KEY = 'berth:assistant-model';
export const openKey = (projectId: string) => `berth:assistant-conversation:${projectId}`;

export const stored = (key: string): string | null => {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
};

export const store = (key: string, value: string | null) => {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
};
