#!/bin/sh
# One-shot job (temporalio/admin-tools): registers the application's namespace.
# temporalio/server (unlike the deprecated auto-setup image) creates no namespace.
# Idempotent: an existing namespace is left untouched.
set -eu

ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-720h}"

echo "waiting for temporal at ${ADDRESS}"
i=0
until temporal operator cluster health --address "$ADDRESS" >/dev/null 2>&1; do
  i=$((i + 1))
  if [ "$i" -ge 60 ]; then echo "temporal not healthy at ${ADDRESS}" >&2; exit 1; fi
  sleep 2
done

if temporal operator namespace describe --namespace "$NAMESPACE" --address "$ADDRESS" >/dev/null 2>&1; then
  echo "namespace ${NAMESPACE} already exists"
else
  temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" --address "$ADDRESS"
  echo "namespace ${NAMESPACE} created (retention ${RETENTION})"
fi
