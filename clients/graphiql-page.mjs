// Opens the service's GraphiQL page in jsdom as a browser would (the page, then every script and
// stylesheet it references, refusing any URL off the service), waits for GraphiQL to mount and
// load the schema, runs the example operation with GraphiQL's own button, and prints what it
// loaded and sent as JSON. jsdom does not enforce the Content-Security-Policy; the suite checks
// the page against it. Usage: node graphiql-page.mjs BASE_URL
import { JSDOM, ResourceLoader, VirtualConsole } from "jsdom";

const base = process.argv[2];
const loaded = [];
const refused = [];
const requests = [];
const errors = [];

class ServiceOnly extends ResourceLoader {
  fetch(url, options) {
    if (!url.startsWith(base + "/")) {
      refused.push(url);
      return null;
    }
    loaded.push(url.slice(base.length));
    return super.fetch(url, options);
  }
}

const console_ = new VirtualConsole();
console_.on("jsdomError", (error) => errors.push(String(error.message || error)));
console_.on("error", (...args) => errors.push(args.map(String).join(" ")));

// What jsdom leaves out of a browser, as far as GraphiQL's start needs: fetch (Node's, with each
// request recorded), layout observers and text measurement.
function browserApis(window) {
  window.TextDecoder = TextDecoder;
  window.TextEncoder = TextEncoder;
  window.fetch = async (url, init = {}) => {
    const target = new URL(url, window.location.href).href;
    const entry = { url: target, method: init.method || "GET", headers: Object.fromEntries(new Headers(init.headers)),
                    body: typeof init.body === "string" ? init.body.slice(0, 200) : null };
    requests.push(entry);
    const response = await fetch(target, init);
    entry.status = response.status;
    entry.responseType = response.headers.get("content-type");
    entry.response = (await response.clone().text()).slice(0, 500);
    return response;
  };
  window.matchMedia = () => ({ matches: false, addListener() {}, removeListener() {},
                               addEventListener() {}, removeEventListener() {} });
  window.ResizeObserver = class { observe() {} unobserve() {} disconnect() {} };
  window.document.createRange = () => ({
    setStart() {}, setEnd() {}, getBoundingClientRect: () => ({ left: 0, right: 0, top: 0, bottom: 0 }),
    getClientRects: () => ({ length: 0, item: () => null }),
  });
  window.Element.prototype.scrollIntoView = () => {};
}

const page = await fetch(`${base}/graphql`, { headers: { accept: "text/html" } });
const dom = new JSDOM(await page.text(), {
  url: `${base}/graphql`, runScripts: "dangerously", resources: new ServiceOnly(), pretendToBeVisual: true,
  virtualConsole: console_, beforeParse: browserApis,
});

const deadline = Date.now() + 60_000;
const introspected = () => requests.some((r) => r.body && r.body.includes("IntrospectionQuery") && r.status);
while (Date.now() < deadline && !(dom.window.document.querySelector(".graphiql-container") && introspected())) {
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const document = dom.window.document;
// Run the example operation with GraphiQL's own button, and read the result it shows.
document.querySelector(".graphiql-execute-button")?.click();
const ran = () => requests.some((r) => r.body && r.body.includes("SearchPage") && r.response !== undefined);
while (Date.now() < deadline && !ran()) {
  await new Promise((resolve) => setTimeout(resolve, 100));
}
console.log(JSON.stringify({
  status: page.status,
  mounted: Boolean(document.querySelector(".graphiql-container")),
  sidebar: [...document.querySelectorAll(".graphiql-sidebar button")].map((b) => b.getAttribute("aria-label")),
  loaded, refused, requests, errors,
}));
dom.window.close();
