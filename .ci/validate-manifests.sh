#!/usr/bin/env bash
# Validates deploy/knative offline against the Knative and Kubernetes schemas (deploy/validate), then checks that the
# validator rejects the deliberately broken manifests in deploy/validate/fixtures/invalid.
set -euo pipefail
cd "$(dirname "$0")/../deploy/validate"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIP manifest validation: node/npm not installed on this machine (needs Node 20+ and npm)"
  exit 0
fi
# The lockfile names no registry: npm installs from whatever registry its configuration names.
npm ci --no-audit --no-fund --loglevel=error >/dev/null
node validate.mjs ../knative
node validate.mjs --expect-invalid fixtures/invalid
