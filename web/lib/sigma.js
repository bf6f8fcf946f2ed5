// The network's graph renderer (sigma over graphology), and the one graph shown: the shell stops
// it when the page changes (it listens to window resizes).
// sigma and graphology ship UMD builds: loaded once as classic scripts (same origin, no bundler).
let sigmaLoaded = null;
let activeSigma = null;
export function loadSigma() {
  const load = (src) => new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src; s.onload = resolve; s.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.append(s);
  });
  sigmaLoaded ??= load("/node_modules/graphology/dist/graphology.umd.min.js").then(() => load("/node_modules/sigma/build/sigma.min.js"));
  return sigmaLoaded;
}
// A renderer of the graph in the container (once loadSigma is done), in place of the one shown.
export function newSigma(graph, container, settings) {
  stopSigma();
  const SigmaClass = window.Sigma.Sigma || window.Sigma.default || window.Sigma;
  activeSigma = new SigmaClass(graph, container, settings);
  return activeSigma;
}
export function stopSigma() {
  activeSigma?.kill();
  activeSigma = null;
}
