/**
 * The `aws` shim of the local backend. Jobs with S3 mounts run the preloader script, which calls only
 * `aws s3 cp [--recursive] [--sse X] [--sse-kms-key-id K] [--only-show-errors] [--no-progress] [--endpoint-url U]
 * SRC DST`. With an `s3Dir`, the runner puts this POSIX sh script first on the job's PATH as `aws`; it serves
 * `s3://bucket/key` from `$EZBATCH_S3_DIR/bucket/key` with plain `cp`, so a workflow with mounts runs offline on
 * a machine without the AWS CLI. Like S3, a bucket must exist (a directory `DIR/bucket`); a missing key fails a
 * single-file download, a recursive download of a missing prefix copies nothing and succeeds. Exit codes follow
 * the AWS CLI: 1 for an S3 error, 252 for bad usage, 255 for a missing local path. Keys are text, as in S3: a
 * key segment that is empty, `.` or `..` (or one of those after leading `%`s) is stored with one more leading `%`
 * (`s3://b/../x` -> `DIR/b/%../x`), so no key reaches outside `DIR/bucket`.
 * @module
 */

/** The shim's text (POSIX sh; reads `EZBATCH_S3_DIR`). */
export const AWS_SHIM_SCRIPT = `#!/bin/sh
# aws (ezbatch local shim): serves 'aws s3 cp' from $EZBATCH_S3_DIR (s3://bucket/key -> $EZBATCH_S3_DIR/bucket/key)
say() { printf '%s\\n' "aws (ezbatch local shim): $*" >&2; }
root=\${EZBATCH_S3_DIR:-}
if [ -z "$root" ]; then say "EZBATCH_S3_DIR is not set"; exit 255; fi
if [ "\${1:-}" != s3 ] || [ "\${2:-}" != cp ]; then
  say "only 'aws s3 cp' is served from the s3 directory, not 'aws $*'"; exit 252
fi
shift 2
recursive=0; quiet=0; n=0; src=; dst=
while [ $# -gt 0 ]; do
  case $1 in
    --recursive) recursive=1 ;;
    --only-show-errors|--quiet) quiet=1 ;;
    --no-progress) ;;
    --sse) case \${2:-} in AES256|aws:kms|aws:kms:dsse) shift ;; esac ;;
    --sse-kms-key-id|--endpoint-url|--region|--profile)
      if [ $# -lt 2 ]; then say "option $1 needs a value"; exit 252; fi
      shift ;;
    --*=*) ;;
    -*) say "unsupported option '$1'"; exit 252 ;;
    *) n=$((n + 1))
       if [ $n -eq 1 ]; then src=$1; elif [ $n -eq 2 ]; then dst=$1; else say "too many arguments: '$1'"; exit 252; fi ;;
  esac
  shift
done
if [ $n -ne 2 ]; then say "usage: aws s3 cp [--recursive] SRC DST"; exit 252; fi
# S3 keys are plain text ('..' is no parent there): a segment that is empty, '.' or '..' (after any leading '%')
# gains one '%', so no key can leave DIR/bucket and distinct keys stay distinct; a final '/' still marks a prefix
enc_seg() {
  t=$1
  while :; do case $t in %*) t=\${t#%} ;; *) break ;; esac; done
  case $t in ''|.|..) seg=%$1 ;; *) seg=$1 ;; esac
}
enc_key() {
  k=$1; enc=
  while :; do
    case $k in */*) enc_seg "\${k%%/*}"; enc=$enc$seg/; k=\${k#*/} ;; *) break ;; esac
  done
  if [ -n "$k" ]; then enc_seg "$k"; enc=$enc$seg; fi
}
# map s3://bucket/key to a path; sets mapped and key
map() {
  rest=\${1#s3://}
  bucket=\${rest%%/*}
  case $rest in */*) key=\${rest#*/} ;; *) key= ;; esac
  if [ -z "$bucket" ]; then say "bad S3 URI '$1'"; exit 252; fi
  # S3 bucket names are letters, digits, '.', '-' (and '_' in old buckets), never starting or ending with '.'
  case $bucket in *[!A-Za-z0-9._-]*|.*|*.)
    say "Invalid bucket name '$bucket': use letters, digits, '.', '-' and '_', not starting or ending with '.'"
    exit 252 ;;
  esac
  if [ ! -d "$root/$bucket" ]; then
    say "An error occurred (NoSuchBucket): the bucket '$bucket' does not exist (create the directory $root/$bucket)"
    exit 1
  fi
  enc_key "$key"
  mapped=$root/$bucket/$enc
}
note() { if [ $quiet -eq 0 ]; then printf '%s\\n' "$*"; fi; }
base() { b=\${1%/}; printf '%s' "\${b##*/}"; }
case $src in s3://*) from_s3=1 ;; *) from_s3=0 ;; esac
case $dst in s3://*) to_s3=1 ;; *) to_s3=0 ;; esac
if [ $from_s3 -eq 0 ] && [ $to_s3 -eq 0 ]; then say "one of SRC and DST must be an s3:// URI"; exit 252; fi
if [ $from_s3 -eq 1 ]; then map "$src"; from=$mapped; from_key=$key; else from=$src; from_key=$src; fi
if [ $to_s3 -eq 1 ]; then map "$dst"; to=$mapped; to_key=$key; else to=$dst; to_key=$dst; fi
verb=copy
if [ $from_s3 -eq 1 ] && [ $to_s3 -eq 0 ]; then verb=download; fi
if [ $from_s3 -eq 0 ] && [ $to_s3 -eq 1 ]; then verb=upload; fi
if [ $recursive -eq 1 ]; then
  from=\${from%/}
  if [ ! -d "$from" ]; then
    if [ $from_s3 -eq 1 ]; then note "$verb: nothing under $src"; exit 0; fi
    say "The user-provided path $src does not exist."; exit 255
  fi
  mkdir -p "$to" || exit 1
  count=$(find "$from" -type f | wc -l | tr -d ' ')
  cp -R "$from/." "$to/" || exit 1
  note "$verb: $src to $dst ($count files)"
  exit 0
fi
if [ $from_s3 -eq 1 ]; then
  case $from_key in ''|*/) say "a single-file copy needs a key, not '$src' (use --recursive for a prefix)"; exit 252 ;; esac
  if [ ! -f "$from" ]; then say "An error occurred (404) when calling the HeadObject operation: Key \\"$from_key\\" does not exist"; exit 1; fi
else
  if [ ! -e "$from" ]; then say "The user-provided path $src does not exist."; exit 255; fi
  if [ -d "$from" ]; then say "'$src' is a directory: use --recursive"; exit 252; fi
fi
case $to_key in
  ''|*/) to=$to$(base "$from") ;;
  *) if [ $to_s3 -eq 0 ] && [ -d "$to" ]; then to=$to/$(base "$from"); fi ;;
esac
mkdir -p "$(dirname "$to")" || exit 1
# Copy beside the target, then rename: two jobs writing one key both succeed, last writer wins, as on S3
# (a plain cp opens a new target exclusively, so the second of two concurrent writers failed with 'File exists').
tmp="$to.ezbatch-part-$$"
if ! cp "$from" "$tmp" || ! mv -f "$tmp" "$to"; then rm -f "$tmp"; exit 1; fi
note "$verb: $src to $dst"
`;
