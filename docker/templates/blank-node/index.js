// Your program starts here. `npm run dev` re-runs it whenever you save a file.
const greeting = `Hello from Node.js ${process.version}`;
console.log(greeting);
