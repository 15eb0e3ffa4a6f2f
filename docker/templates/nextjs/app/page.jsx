export default function Home() {
  return (
    <main>
      <h1>Next.js</h1>
      <p>
        Edit <code>app/page.jsx</code> and save: the preview updates in place.
      </p>
    </main>
  );
}
