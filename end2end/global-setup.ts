// `cargo leptos end-to-end` starts the server and the tests at the same moment: wait for it.
export default async function globalSetup() {
  const url = process.env.PORTAL_URL ?? "http://localhost:3000";
  const deadline = Date.now() + 180_000;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url + "/");
      if (res.ok) return;
      last = `status ${res.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`portal did not answer at ${url}: ${last}`);
}
