#!/usr/bin/env bash
# Runs one command in a fresh OpenShell sandbox from a CI job, through the gateway's REST API with
# an API token, and exits with the command's exit status. Needs bash, curl and jq.
#
#   OPENSHELL_URL=https://gateway.example:8443 OPENSHELL_TOKEN=osh_... OPENSHELL_CA=ca.crt \
#     examples/ci/sandbox-job.sh POLICY.yaml -- COMMAND [ARG...]
#
# Steps: create a sandbox with the policy (waiting until it is Ready), run the command in it
# (its stdout and stderr are printed as they were written, each on its own stream), save the
# sandbox's decision log to $OPENSHELL_DECISIONS (default decisions.json) and print its denials,
# delete the sandbox (also when the job is cancelled or a step fails).
#
# The token needs the scopes sandbox:write, sandbox:exec and decision:read:
#   openshell gateway token create --name ci --scope sandbox:write --scope sandbox:exec --scope decision:read
# Optional: OPENSHELL_SANDBOX (the sandbox's name; default ci-<time>-<pid>), OPENSHELL_TIMEOUT
# (the command's time limit, default 30m; at the limit it is killed and the job exits 124).
set -euo pipefail

usage() {
  echo "usage: OPENSHELL_URL=... OPENSHELL_TOKEN=... [OPENSHELL_CA=ca.crt] $0 POLICY.yaml -- COMMAND [ARG...]" >&2
  exit 2
}
[ $# -ge 3 ] && [ "$2" = "--" ] || usage
policy_file=$1
shift 2
: "${OPENSHELL_URL:?set OPENSHELL_URL to the gateway, e.g. https://gateway.example:8443}"
: "${OPENSHELL_TOKEN:?set OPENSHELL_TOKEN to an API token (openshell gateway token create)}"
[ -r "$policy_file" ] || { echo "sandbox-job: cannot read the policy $policy_file" >&2; exit 2; }
for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "sandbox-job: needs $tool" >&2; exit 2; }
done

name=${OPENSHELL_SANDBOX:-ci-$(date +%s)-$$}
decisions=${OPENSHELL_DECISIONS:-decisions.json}
timeout=${OPENSHELL_TIMEOUT:-30m}
api=${OPENSHELL_URL%/}/api/v1
work=$(mktemp -d)

# One API call: prints the body; fails the job with the problem's detail on an error status.
call() {
  local method=$1 path=$2 body=${3:-} status
  local args=(-sS -X "$method" -o "$work/body" -w '%{http_code}' -H "Authorization: Bearer $OPENSHELL_TOKEN")
  [ -n "${OPENSHELL_CA:-}" ] && args+=(--cacert "$OPENSHELL_CA")
  if [ -n "$body" ]; then
    args+=(-H 'Content-Type: application/json' -H "Idempotency-Key: $name-$method-$path" --data-binary "@$body")
  fi
  status=$(curl "${args[@]}" "$api$path")
  if [ "$status" -ge 300 ]; then
    echo "sandbox-job: $method $path: HTTP $status: $(jq -r '.detail // .title // .' "$work/body" 2>/dev/null || cat "$work/body")" >&2
    return 1
  fi
  cat "$work/body"
}

cleanup() {
  call DELETE "/sandboxes/$name" >/dev/null 2>&1 || echo "sandbox-job: could not delete sandbox $name" >&2
  rm -rf -- "$work"
}
trap cleanup EXIT

# The sandbox's own main process only keeps it alive; the job's command runs through exec.
jq -n --arg name "$name" --rawfile policy "$policy_file" \
  '{name: $name, command: ["sleep", "infinity"], policy: $policy, labels: {ci: "true"}, wait: true}' >"$work/create.json"
sandbox=$(call POST /sandboxes "$work/create.json")
phase=$(jq -r .phase <<<"$sandbox")
if [ "$phase" != Ready ]; then
  echo "sandbox-job: sandbox $name is $phase: $(jq -r '.reason // ""' <<<"$sandbox")" >&2
  exit 125
fi
echo "sandbox-job: sandbox $name is Ready" >&2

jq -n --arg timeout "$timeout" '{command: $ARGS.positional, timeout: $timeout}' --args -- "$@" >"$work/exec.json"
result=$(call POST "/sandboxes/$name/exec" "$work/exec.json")
jq -j .stdout <<<"$result"
jq -j .stderr <<<"$result" >&2
code=$(jq -r .exit_code <<<"$result")

# Decisions reach the gateway in batches of a few hundred milliseconds.
sleep 1
call GET "/decisions?sandbox=$name&page_size=1000" | jq .items >"$decisions"
denied=$(jq '[.[] | select(.verdict == "deny")] | length' "$decisions")
echo "sandbox-job: exit status $code; $(jq length "$decisions") decisions, $denied denied (in $decisions)" >&2
jq -r '.[] | select(.verdict == "deny")
  | "  denied: \(.binary) -> \(.host):\(.port)\(if .path then " \(.method) \(.path)" else "" end): \(.reason)"' \
  "$decisions" >&2
exit "$code"
