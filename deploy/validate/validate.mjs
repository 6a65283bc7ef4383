// Validates Kubernetes and Knative manifests offline against the published schemas (kubernetes-models,
// @kubernetes-models/knative) plus moodtag's own rules for its Knative Services. No cluster needed.
//   node validate.mjs <dir|file>...                every document must be valid
//   node validate.mjs --expect-invalid <dir|file>  every document must be REJECTED (proves the validator can fail)
// Prints one line per document and "N passed, N failed"; exits 1 when anything failed.
import fs from "node:fs";
import path from "node:path";
import yaml from "js-yaml";

const args = process.argv.slice(2);
const expectInvalid = args[0] === "--expect-invalid";
const targets = expectInvalid ? args.slice(1) : args;
if (targets.length === 0) {
  console.error("usage: node validate.mjs [--expect-invalid] <dir|file>...");
  process.exit(2);
}

function files(target) {
  if (fs.statSync(target).isDirectory())
    return fs.readdirSync(target).sort().flatMap((f) => files(path.join(target, f)));
  return /\.ya?ml$/.test(target) ? [target] : [];
}

// apiVersion "serving.knative.dev/v1" -> @kubernetes-models/knative/serving.knative.dev/v1/<Kind>,
// "v1" -> kubernetes-models/v1/<Kind>, "apps/v1" -> kubernetes-models/apps/v1/<Kind>.
async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const module = group.endsWith("knative.dev")
    ? `@kubernetes-models/knative/${group}/${version}/${kind}`
    : `kubernetes-models/${group ? group + "/" : ""}${version}/${kind}`;
  try {
    return (await import(module))[kind];
  } catch {
    throw new Error(`no schema for ${apiVersion} ${kind}`);
  }
}

// moodtag's rules: what the schemas cannot know.
function moodtagRules(doc) {
  if (doc.kind === "Broker") return brokerRules(doc);
  if (doc.kind === "SinkBinding") return sinkBindingRules(doc);
  if (doc.kind === "Job") return publisherJobRules(doc);
  const problems = [];
  if (doc.kind !== "Service" || !doc.apiVersion.startsWith("serving.knative.dev")) return problems;
  const spec = doc.spec?.template?.spec ?? {};
  const c = (spec.containers ?? [])[0] ?? {};
  const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
  if (String(spec.containerConcurrency) !== String(env.MOODTAG_FUNCTION_MAX_CONCURRENT ?? "2"))
    problems.push(`containerConcurrency ${spec.containerConcurrency} must equal MOODTAG_FUNCTION_MAX_CONCURRENT ` +
      `(${env.MOODTAG_FUNCTION_MAX_CONCURRENT ?? "2, the default"})`);
  for (const [probe, p] of [["readinessProbe", "/q/health/ready"], ["livenessProbe", "/q/health/live"]])
    if (c[probe]?.httpGet?.path !== p) problems.push(`${probe} must be httpGet ${p}`);
  if (!(c.args ?? []).includes("serve")) problems.push("container args must include 'serve' (other commands bind no port)");
  if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push("securityContext.readOnlyRootFilesystem must be true");
  const ann = doc.spec?.template?.metadata?.annotations ?? {};
  if (ann["autoscaling.knative.dev/min-scale"] !== "0") problems.push("autoscaling.knative.dev/min-scale must be \"0\" (scale to zero)");
  // The autoscaler aims at the concurrency a pod can really take: above it the function answers 429.
  if (String(ann["autoscaling.knative.dev/target"]) !== String(spec.containerConcurrency))
    problems.push(`autoscaling.knative.dev/target ${ann["autoscaling.knative.dev/target"] ?? "(missing)"} must equal ` +
      `containerConcurrency ${spec.containerConcurrency}`);
  if ((ann["autoscaling.knative.dev/metric"] ?? "concurrency") !== "concurrency")
    problems.push("autoscaling.knative.dev/metric must be concurrency (the target is a concurrency)");
  if (!/^[1-9][0-9]*$/.test(ann["autoscaling.knative.dev/max-scale"] ?? ""))
    problems.push("autoscaling.knative.dev/max-scale must be a positive integer (the sizing in deploy/README.md rests on it)");
  return problems;
}

// A Broker drops an event that is never acknowledged unless its delivery spec retries it and names a dead-letter
// sink; only the dead-letter Broker itself (label moodtag.dev/role: dead-letters) goes without.
function brokerRules(doc) {
  if (doc.metadata?.labels?.["moodtag.dev/role"] === "dead-letters") return [];
  const d = doc.spec?.delivery ?? {};
  const problems = [];
  if (!(Number(d.retry) >= 1)) problems.push("spec.delivery.retry must be at least 1");
  if (!d.backoffPolicy || !d.backoffDelay) problems.push("spec.delivery needs backoffPolicy and backoffDelay");
  if (!d.deadLetterSink?.ref && !d.deadLetterSink?.uri) problems.push("spec.delivery.deadLetterSink must name a sink");
  return problems;
}

// The publisher's events must reach the Broker (its retries and dead letters), not a Service directly.
function sinkBindingRules(doc) {
  const problems = [];
  if (doc.spec?.sink?.ref?.kind !== "Broker") problems.push("spec.sink.ref must be a Broker");
  if (doc.spec?.subject?.kind !== "Job" || !doc.spec?.subject?.selector)
    problems.push("spec.subject must select the publisher Job by label");
  return problems;
}

// A Job that publishes an archive takes its sink from the SinkBinding (K_SINK), and never restarts a pod in place.
function publisherJobRules(doc) {
  const spec = doc.spec?.template?.spec ?? {};
  const problems = [];
  for (const c of spec.containers ?? []) {
    const args = c.args ?? [];
    const i = args.indexOf("--publish");
    if (i < 0) continue;
    if (args[i + 1] !== "$(K_SINK)") problems.push(`container ${c.name}: --publish must be followed by $(K_SINK) (the SinkBinding's sink)`);
    if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`container ${c.name}: securityContext.readOnlyRootFilesystem must be true`);
    if (spec.restartPolicy !== "Never") problems.push("restartPolicy must be Never: a new pod resumes from storage, a restarted one would too, but Never keeps each try's log");
  }
  return problems;
}

let passed = 0, failed = 0;
for (const file of targets.flatMap(files)) {
  let docs;
  try {
    docs = yaml.loadAll(fs.readFileSync(file, "utf8")).filter((d) => d != null);
  } catch (e) {
    docs = [{ __parseError: e.message }];
  }
  for (const [i, doc] of docs.entries()) {
    const name = `${file}#${i + 1} ${doc.kind ?? "?"}/${doc.metadata?.name ?? "?"}`;
    let problems = [];
    try {
      if (doc.__parseError) throw new Error(`YAML: ${doc.__parseError}`);
      if (!doc.apiVersion || !doc.kind) throw new Error("apiVersion and kind are required");
      const Model = await modelFor(doc.apiVersion, doc.kind);
      // status is the controller's to write, never in a manifest; some generated schemas (SinkBinding) require it.
      new Model({ status: {}, ...doc }).validate();
      problems = moodtagRules(doc);
    } catch (e) {
      problems = [String(e.message ?? e).split("\n").slice(0, 6).join("; ")];
    }
    const ok = expectInvalid ? problems.length > 0 : problems.length === 0;
    if (ok) passed++;
    else failed++;
    if (expectInvalid) console.log(`${ok ? "rejected as expected" : "FAIL (accepted)"}  ${name}${problems.length ? ": " + problems.join("; ") : ""}`);
    else console.log(`${ok ? "ok  " : "FAIL"}  ${name}${problems.length ? ": " + problems.join("; ") : ""}`);
  }
}
console.log(`${passed} passed, ${failed} failed${expectInvalid ? " (negative check: every document must be rejected)" : ""}`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
