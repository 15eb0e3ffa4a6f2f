import { useState } from 'react';

export default function App() {
  const [count, setCount] = useState(0);
  return (
    <main>
      <h1>Vite + React</h1>
      <button type="button" onClick={() => setCount((value) => value + 1)}>
        count is {count}
      </button>
      <p>
        Edit <code>src/App.jsx</code> and save: the preview updates without a reload.
      </p>
    </main>
  );
}
