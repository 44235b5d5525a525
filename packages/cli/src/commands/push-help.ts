// `fayger push --help`: kept apart from the command so help never loads the command's dependencies.
export const pushHelp = `fayger push — publish a .buf to S3 or IPFS, for fayger run s3://… / ipfs://…

Usage: fayger push <file.buf> s3://<bucket>/<key> [--endpoint <url>] [--region <r>] [--path-style]
       fayger push <file.buf> ipfs [--api <url>] [--car <out.car>] [--force]

Checks that the file is a BuF (structure and root digest; trust is checked by whoever runs it), stores it,
and prints the URL to run on stdout (s3://bucket/key or ipfs://<CID>); details go to stderr.

S3 (any S3-compatible store: AWS, R2, MinIO...): one SigV4-signed PUT. Credentials, region and endpoint come
from the standard AWS settings: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_REGION,
AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, else AWS_PROFILE in ~/.aws/credentials and ~/.aws/config.
  --endpoint <url>   S3 endpoint (e.g. http://127.0.0.1:9000)
  --region <r>       signing region
  --path-style       endpoint/bucket/key URLs instead of bucket.endpoint/key

IPFS: the file is imported as UnixFS with Kubo's CIDv1 defaults (256 KiB chunks, raw leaves), so the CID is
the one \`ipfs add --cid-version 1\` prints, and its blocks are written as a CARv1:
  --api <url>        a Kubo-compatible RPC API (POST /api/v0/dag/import, roots pinned); env FAYGER_IPFS_API
  --car <file>       write the CAR to a file (for \`ipfs dag import\` or a pinning service)
  --force            overwrite an existing --car file
At least one of --api / --car. Read it back through a trustless gateway: FAYGER_IPFS_GATEWAY=<url> fayger run ipfs://<CID>.

Options:
  --json             machine-readable result on stdout

Examples:
  fayger push app.buf s3://releases/app/1.2.0.buf --endpoint http://127.0.0.1:9000
  fayger push app.buf ipfs --api http://127.0.0.1:5001
  fayger push app.buf ipfs --car app.car
`;
