#!/bin/sh
# ezbatch preloader: stages S3 data into a job container, runs the user's command, stages results out.
# POSIX sh only (checked with dash -n). Embedded in the job by preloader/launch.ts as:
#   /bin/sh -c "<this script>" ezbatch-preloader CMD [ARG...]
# where CMD [ARG...] is the user's command (a string command arrives as /bin/sh -c "string").
#
# Environment, written by ezbatch (see docs/preloader.md):
#   EZBATCH_READ    read mounts: a count line, then 3 lines per mount: flags (R = recursive), s3 source, local path
#   EZBATCH_WRITE   write mounts: a count line, then 5 lines per mount: flags, local path, s3 destination, sse, kms key
#   EZBATCH_SSE, EZBATCH_SSE_KMS_KEY_ID   encryption of uploads whose mount sets none
#   EZBATCH_MATRIX  matrix: a total line, then per key: name, stride, count, then `count` value lines
#   Every line is escaped: backslash as \\ and newline as \n; lines are decoded with printf %b. Nothing is eval'd.
#   EZBATCH_INSTALL_AWS_CLI=1      install the AWS CLI with the image's package manager when it is missing
#   EZBATCH_TRANSFER_ATTEMPTS      tries per transfer (default 3)
#   EZBATCH_RETRY_DELAY            seconds before the first retry, doubled each time (default 5)
#   AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL   passed to `aws s3 cp` as --endpoint-url when set
# Exit status: the command's own; 96 bad setup; 97 no AWS CLI; 98 a download failed (the command did not run);
# 99 an upload failed after the command succeeded (when the command failed, its status is kept).

NL=$(printf '\nx')
NL=${NL%x}

ezb_log() {
  printf '[ezbatch] %s\n' "$*" >&2
}

ezb_die() {
  ezb_log "$2"
  exit "$1"
}

# Pops the first line of $ezb_q into $ezb_l, decoded.
ezb_pop() {
  case $ezb_q in
    *"$NL"*)
      ezb_l=${ezb_q%%"$NL"*}
      ezb_q=${ezb_q#*"$NL"}
      ;;
    *)
      ezb_l=$ezb_q
      ezb_q=
      ;;
  esac
  ezb_dec
}

# Decodes $ezb_l (\\ and \n escapes) in place.
ezb_dec() {
  case $ezb_l in
    *\\*)
      ezb_l=$(printf '%b.' "$ezb_l")
      ezb_l=${ezb_l%.}
      ;;
  esac
}

ezb_isnum() {
  case $1 in
    '' | *[!0-9]*) return 1 ;;
  esac
  return 0
}

ezb_now() {
  ezb_t=$(date +%s 2>/dev/null)
  ezb_isnum "$ezb_t" || ezb_t=0
}

# Replaces every ${KEY} of the matrix in $1; the result is in $ezb_s. Plain text substitution, no eval.
ezb_expand() {
  ezb_s=$1
  ezb_p=$ezb_pairs
  while [ -n "$ezb_p" ]; do
    ezb_k=${ezb_p%%"$NL"*}
    ezb_p=${ezb_p#*"$NL"}
    ezb_v=${ezb_p%%"$NL"*}
    ezb_p=${ezb_p#*"$NL"}
    ezb_n="\${$ezb_k}"
    case $ezb_s in
      *"$ezb_n"*) ;;
      *) continue ;;
    esac
    ezb_r=
    while :; do
      case $ezb_s in
        *"$ezb_n"*)
          ezb_r=$ezb_r${ezb_s%%"$ezb_n"*}$ezb_v
          ezb_s=${ezb_s#*"$ezb_n"}
          ;;
        *) break ;;
      esac
    done
    ezb_s=$ezb_r$ezb_s
  done
}

# Sets $ezb_stat to "N files, SIZE" for a file or folder (empty when find, ls or awk are missing).
ezb_stats() {
  ezb_stat=
  [ -e "$1" ] || return 0
  ezb_stat=$(find "$1" -type f -exec ls -ln {} + 2>/dev/null | awk '{ n++; b += $5 }
    END { u = "bytes"; s = b; if (s >= 1024) { s /= 1024; u = "KiB" } if (s >= 1024) { s /= 1024; u = "MiB" }
      if (s >= 1024) { s /= 1024; u = "GiB" } if (u == "bytes") printf "%d file%s, %d bytes", n, (n == 1 ? "" : "s"), b;
      else printf "%d file%s, %.1f %s (%.0f bytes)", n, (n == 1 ? "" : "s"), s, u, b }' 2>/dev/null)
}

# ezb_cp LABEL RECURSIVE SSE KMS SOURCE DEST: one `aws s3 cp`, retried.
ezb_cp() {
  ezb_label=$1 ezb_a=$2 ezb_b=$3 ezb_c=$4 ezb_src=$5 ezb_dst=$6
  set -- s3 cp
  [ -n "$ezb_endpoint" ] && set -- "$@" --endpoint-url "$ezb_endpoint"
  [ "$ezb_a" = R ] && set -- "$@" --recursive
  [ -n "$ezb_b" ] && set -- "$@" --sse "$ezb_b"
  [ -n "$ezb_c" ] && set -- "$@" --sse-kms-key-id "$ezb_c"
  set -- "$@" --only-show-errors "$ezb_src" "$ezb_dst"
  ezb_try=1
  ezb_wait=${EZBATCH_RETRY_DELAY:-5}
  ezb_isnum "$ezb_wait" || ezb_wait=5
  while :; do
    "$ezb_aws" "$@" </dev/null && return 0
    ezb_rc=$?
    if [ "$ezb_try" -ge "$ezb_attempts" ]; then
      ezb_log "$ezb_label: FAILED after $ezb_try attempt(s), last exit status $ezb_rc"
      return 1
    fi
    ezb_log "$ezb_label: attempt $ezb_try of $ezb_attempts failed (exit status $ezb_rc); retrying in ${ezb_wait}s"
    sleep "$ezb_wait"
    ezb_wait=$((ezb_wait * 2))
    ezb_try=$((ezb_try + 1))
  done
}

ezb_find_aws() {
  ezb_aws=$(command -v aws 2>/dev/null)
  [ -n "$ezb_aws" ]
}

ezb_install_aws() {
  ezb_log "The AWS CLI is not on PATH; installing it (EZBATCH_INSTALL_AWS_CLI=1; this needs internet access)"
  if command -v apk >/dev/null 2>&1; then
    apk add --no-cache aws-cli >&2
  elif command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq awscli >&2
  elif command -v dnf >/dev/null 2>&1; then
    dnf install -y awscli2 >&2 || dnf install -y awscli >&2
  elif command -v microdnf >/dev/null 2>&1; then
    microdnf install -y awscli2 >&2 || microdnf install -y awscli >&2
  elif command -v yum >/dev/null 2>&1; then
    yum install -y awscli >&2
  elif command -v pip3 >/dev/null 2>&1; then
    pip3 install --quiet awscli >&2
  else
    ezb_log "No package manager found (apk, apt-get, dnf, microdnf, yum, pip3)"
  fi
}

# --- setup --------------------------------------------------------------------------------------------------------
[ "$#" -gt 0 ] || ezb_die 96 "No command given to the preloader"
ezb_attempts=${EZBATCH_TRANSFER_ATTEMPTS:-3}
ezb_isnum "$ezb_attempts" && [ "$ezb_attempts" -ge 1 ] || ezb_attempts=3
ezb_endpoint=${AWS_ENDPOINT_URL_S3:-${AWS_ENDPOINT_URL:-}}
ezb_pairs=

# --- matrix: export this child's parameter values ----------------------------------------------------------------
if [ -n "${EZBATCH_MATRIX:-}" ]; then
  ezb_q=$EZBATCH_MATRIX
  ezb_pop
  ezb_total=$ezb_l
  ezb_isnum "$ezb_total" || ezb_die 96 "EZBATCH_MATRIX is malformed (total '$ezb_total')"
  ezb_idx=${AWS_BATCH_JOB_ARRAY_INDEX:-}
  if [ -z "$ezb_idx" ]; then
    [ "$ezb_total" -eq 1 ] || ezb_die 96 "AWS_BATCH_JOB_ARRAY_INDEX is not set: this matrix job must run as an array job of $ezb_total children"
    ezb_idx=0
  fi
  ezb_isnum "$ezb_idx" && [ "$ezb_idx" -lt "$ezb_total" ] ||
    ezb_die 96 "AWS_BATCH_JOB_ARRAY_INDEX is '$ezb_idx': expected 0 to $((ezb_total - 1))"
  ezb_desc=
  while [ -n "$ezb_q" ]; do
    ezb_pop
    ezb_key=$ezb_l
    ezb_pop
    ezb_stride=$ezb_l
    ezb_pop
    ezb_count=$ezb_l
    case $ezb_key in
      '' | [0-9]* | *[!A-Za-z0-9_]*) ezb_die 96 "EZBATCH_MATRIX is malformed (key '$ezb_key')" ;;
    esac
    ezb_isnum "$ezb_stride" && ezb_isnum "$ezb_count" && [ "$ezb_stride" -gt 0 ] && [ "$ezb_count" -gt 0 ] ||
      ezb_die 96 "EZBATCH_MATRIX is malformed (key '$ezb_key')"
    ezb_want=$(((ezb_idx / ezb_stride) % ezb_count))
    ezb_j=0
    while [ "$ezb_j" -lt "$ezb_count" ]; do
      case $ezb_q in
        *"$NL"*)
          ezb_raw=${ezb_q%%"$NL"*}
          ezb_q=${ezb_q#*"$NL"}
          ;;
        *) ezb_die 96 "EZBATCH_MATRIX is malformed (values of '$ezb_key')" ;;
      esac
      [ "$ezb_j" -eq "$ezb_want" ] && ezb_val=$ezb_raw
      ezb_j=$((ezb_j + 1))
    done
    ezb_l=$ezb_val
    ezb_dec
    export "$ezb_key=$ezb_l"
    ezb_pairs=$ezb_pairs$ezb_key$NL$ezb_l$NL
    ezb_desc="$ezb_desc $ezb_key=$ezb_l"
  done
  ezb_log "matrix child $ezb_idx ($((ezb_idx + 1)) of $ezb_total):$ezb_desc"
fi

# --- the AWS CLI ------------------------------------------------------------------------------------------------------
ezb_nread=0
ezb_nwrite=0
if [ -n "${EZBATCH_READ:-}" ]; then
  ezb_nread=${EZBATCH_READ%%"$NL"*}
fi
if [ -n "${EZBATCH_WRITE:-}" ]; then
  ezb_nwrite=${EZBATCH_WRITE%%"$NL"*}
fi
ezb_isnum "$ezb_nread" && ezb_isnum "$ezb_nwrite" || ezb_die 96 "EZBATCH_READ or EZBATCH_WRITE is malformed"
if [ $((ezb_nread + ezb_nwrite)) -gt 0 ]; then
  if ! ezb_find_aws; then
    if [ "${EZBATCH_INSTALL_AWS_CLI:-}" = 1 ]; then
      ezb_install_aws
      ezb_find_aws || ezb_die 97 "Could not install the AWS CLI; use an image that has it (see docs/preloader.md)"
    else
      ezb_die 97 "The AWS CLI ('aws') is not on PATH ($PATH): the preloader needs it to stage S3 data. Use an image with the AWS CLI, or set install_aws_cli (needs internet access, e.g. a NAT gateway). Exit status 97."
    fi
  fi
  ezb_log "preloader: $ezb_nread read mount(s), $ezb_nwrite write mount(s); AWS CLI at $ezb_aws${ezb_endpoint:+; endpoint $ezb_endpoint}"
fi

# --- read mounts ------------------------------------------------------------------------------------------------------
if [ "$ezb_nread" -gt 0 ]; then
  ezb_q=${EZBATCH_READ#*"$NL"}
  ezb_i=0
  while [ "$ezb_i" -lt "$ezb_nread" ]; do
    ezb_i=$((ezb_i + 1))
    ezb_pop
    ezb_flags=$ezb_l
    ezb_pop
    ezb_expand "$ezb_l"
    ezb_from=$ezb_s
    ezb_pop
    ezb_expand "$ezb_l"
    ezb_to=$ezb_s
    ezb_label="read $ezb_i/$ezb_nread"
    if [ "$ezb_flags" = R ]; then
      ezb_log "$ezb_label: $ezb_from -> $ezb_to (recursive)"
      mkdir -p "$ezb_to" 2>/dev/null
    else
      ezb_log "$ezb_label: $ezb_from -> $ezb_to"
    fi
    ezb_now
    ezb_t0=$ezb_t
    ezb_cp "$ezb_label" "$ezb_flags" "" "" "$ezb_from" "$ezb_to" ||
      ezb_die 98 "$ezb_label failed: could not download $ezb_from to $ezb_to; the command was not run. Exit status 98."
    ezb_now
    ezb_where=$ezb_to
    [ "$ezb_flags" != R ] && [ -d "$ezb_to" ] && ezb_where=${ezb_to%/}/${ezb_from##*/}
    ezb_stats "$ezb_where"
    ezb_log "$ezb_label: done${ezb_stat:+: $ezb_stat} in $((ezb_t - ezb_t0)) s"
  done
fi

# --- the command ------------------------------------------------------------------------------------------------------
# Runs in the background so that a TERM (job terminated or timed out) reaches it and the outputs are still uploaded.
ezb_sig=
ezb_child=
ezb_forward() {
  ezb_sig=$1
  ezb_log "received SIG$1; passing it on to the command"
  [ -n "$ezb_child" ] && kill -s "$1" "$ezb_child" 2>/dev/null
}
trap 'ezb_forward TERM' TERM
trap 'ezb_forward INT' INT
trap 'ezb_forward HUP' HUP
ezb_log "running the command"
ezb_now
ezb_t0=$ezb_t
exec 3<&0
"$@" 0<&3 3<&- &
ezb_child=$!
exec 3<&-
wait "$ezb_child"
ezb_status=$?
while [ -n "$ezb_sig" ] && kill -0 "$ezb_child" 2>/dev/null; do
  ezb_sig=
  wait "$ezb_child"
  ezb_status=$?
done
ezb_now
ezb_log "command exited with status $ezb_status after $((ezb_t - ezb_t0)) s"

# --- write mounts (also when the command failed) ---------------------------------------------------------------------
ezb_failed=
if [ "$ezb_nwrite" -gt 0 ]; then
  ezb_q=${EZBATCH_WRITE#*"$NL"}
  ezb_i=0
  while [ "$ezb_i" -lt "$ezb_nwrite" ]; do
    ezb_i=$((ezb_i + 1))
    ezb_pop
    ezb_flags=$ezb_l
    ezb_pop
    ezb_expand "$ezb_l"
    ezb_from=$ezb_s
    ezb_pop
    ezb_expand "$ezb_l"
    ezb_to=$ezb_s
    ezb_pop
    ezb_sse=$ezb_l
    ezb_pop
    ezb_kms=$ezb_l
    if [ -z "$ezb_sse$ezb_kms" ]; then
      ezb_sse=${EZBATCH_SSE:-}
      ezb_kms=${EZBATCH_SSE_KMS_KEY_ID:-}
    fi
    ezb_label="write $ezb_i/$ezb_nwrite"
    ezb_how=
    [ "$ezb_flags" = R ] && ezb_how=recursive
    [ -n "$ezb_sse" ] && ezb_how="${ezb_how:+$ezb_how, }sse $ezb_sse"
    ezb_log "$ezb_label: $ezb_from -> $ezb_to${ezb_how:+ ($ezb_how)}"
    if [ ! -e "$ezb_from" ]; then
      ezb_log "$ezb_label: FAILED: '$ezb_from' does not exist"
      ezb_failed="$ezb_failed$NL  $ezb_label: $ezb_from -> $ezb_to"
      continue
    fi
    ezb_stats "$ezb_from"
    ezb_now
    ezb_t0=$ezb_t
    if ezb_cp "$ezb_label" "$ezb_flags" "$ezb_sse" "$ezb_kms" "$ezb_from" "$ezb_to"; then
      ezb_now
      ezb_log "$ezb_label: done${ezb_stat:+: $ezb_stat} in $((ezb_t - ezb_t0)) s"
    else
      ezb_failed="$ezb_failed$NL  $ezb_label: $ezb_from -> $ezb_to"
    fi
  done
fi

if [ -n "$ezb_failed" ]; then
  if [ "$ezb_status" -eq 0 ]; then
    ezb_log "Upload failed for:$ezb_failed"
    ezb_die 99 "exiting with status 99 (upload failed)"
  fi
  ezb_log "Upload failed for:$ezb_failed"
fi
ezb_log "exiting with status $ezb_status"
exit "$ezb_status"
