#!/bin/sh
# One-shot set-up run by the minio-init service: the bucket, and a key for the pipeline that may touch
# only that bucket (the root credentials stay with MinIO). Safe to run again.
set -eu

: "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}" "${S3_BUCKET:?}"
: "${S3_ACCESS_KEY_ID:?}" "${S3_SECRET_ACCESS_KEY:?}"

mc alias set newsflow http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"
mc mb --ignore-existing "newsflow/$S3_BUCKET"

policy=/tmp/newsflow-bucket-rw.json
cat >"$policy" <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:*"],
      "Resource": ["arn:aws:s3:::$S3_BUCKET", "arn:aws:s3:::$S3_BUCKET/*"]
    }
  ]
}
EOF
mc admin policy create newsflow newsflow-bucket-rw "$policy"
mc admin user add newsflow "$S3_ACCESS_KEY_ID" "$S3_SECRET_ACCESS_KEY"
# Attaching a policy that is already attached is an error in MinIO, so attach only once.
if ! mc admin user info newsflow "$S3_ACCESS_KEY_ID" | grep -q 'newsflow-bucket-rw'; then
  mc admin policy attach newsflow newsflow-bucket-rw --user "$S3_ACCESS_KEY_ID"
fi
echo "bucket $S3_BUCKET ready for key $S3_ACCESS_KEY_ID"
