import './globals.css';

export const metadata = {
  title: 'Next.js',
  description: 'A Next.js app made with Berth',
};

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
