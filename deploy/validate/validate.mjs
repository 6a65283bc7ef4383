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
      new Model(doc).validate();
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
