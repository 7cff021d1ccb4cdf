#!/bin/sh
# A fake docker/podman for the local backend's container tests (POSIX sh). _fake_engine.ts copies it into a bin
# directory as `docker` or `podman`, replacing the two settings below. Every call is recorded in $rec/calls/ (the
# engine's name, then one argument per line). `run` starts the command on this machine as a "container" that is
# not a child of this client and lacks the attempt marker, as a real engine's container would be: only the
# engine's own `kill`/`stop` reaches it, so a test proves the runner stops containers through the engine.
rec=@REC@
up=@UP@

engine=${0##*/}
stamp=$(date +%s%N)-$$
mkdir -p "$rec/calls" "$rec/containers"
{ printf '%s\n' "$engine"; for a in "$@"; do printf '%s\n' "$a"; done; } >"$rec/calls/.$stamp"
mv "$rec/calls/.$stamp" "$rec/calls/$stamp"

# Prints $1 single-quoted for eval.
q() {
  s=$1 r=
  while :; do
    case $s in
      *\'*) r="$r${s%%\'*}'\\''"; s=${s#*\'} ;;
      *) break ;;
    esac
  done
  printf "'%s'" "$r$s"
}

fail() { printf '%s\n' "fake $engine: $*" >&2; exit 125; }

case ${1:-} in
  info)
    if [ "$up" = 1 ]; then echo "fake $engine engine"; exit 0; fi
    echo "Cannot connect to the $engine daemon" >&2; exit 1 ;;
  run)
    shift
    name= rm=0 envs=
    while [ $# -gt 0 ]; do
      case $1 in
        --rm) rm=1 ;;
        # Recorded, not emulated: the job features (features.ts) that a real engine applies to the container.
        --init|--cpus=*|--memory=*|--gpus=*|--device=*|--shm-size=*|--ulimit=*|--user=*) ;;
        --name) name=$2; shift ;;
        -v|--volume) shift ;;
        -e|--env)
          case $2 in
            *=*) envs="$envs $(q "$2")" ;;
            ''|[0-9]*|*[!A-Za-z0-9_]*) fail "bad variable name '$2'" ;;
            # `-e NAME` takes the value from this client's environment, and is skipped when NAME is unset.
            *) if eval "[ \"\${$2+set}\" = set ]"; then eval "v=\$$2"; envs="$envs $(q "$2=$v")"; fi ;;
          esac
          shift ;;
        -*) fail "unsupported option '$1'" ;;
        *) break ;;
      esac
      shift
    done
    [ $# -gt 0 ] || fail "no image"
    image=$1; shift
    # No command: the image's CMD, which this fake makes a recognisable echo.
    [ $# -gt 0 ] || set -- /bin/sh -c "echo default command of $image"
    eval "printf '%s\n' $envs" >"$rec/calls/$stamp.env"
    [ -n "$name" ] || name=fake-$$
    box=$rec/containers/$name
    mkdir "$box" 2>/dev/null || fail "the container name \"/$name\" is already in use"
    eval "set -- $envs \"\$@\""
    cd / || exit 125
    # Double fork, so the container is not in this client's process tree; a clean environment, so it lacks the
    # attempt marker; its own session, so that once its main process ends everything it started dies with it (as
    # in a container's pid namespace).
    (env -i PATH=/usr/bin:/bin setsid /bin/sh -c '
      box=$1; shift
      env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@" &
      echo $! >"$box/pid"
      wait $!
      echo $? >"$box/exit.tmp"
      mv "$box/exit.tmp" "$box/exit"
      kill -KILL 0' fake-container "$box" "$@" </dev/null &)
    # --sig-proxy (on by default): SIGTERM or SIGINT to this client goes to the container, and the client waits on.
    trap 'p=$(cat "$box/pid" 2>/dev/null) && kill -s TERM "$p" 2>/dev/null' TERM INT
    # Quiet from here: a signal to this client's tree kills its `sleep`, and sh would report "Terminated" into the
    # job's log, which a real client never does. Retried, as the trap may interrupt the command substitution.
    exec 2>/dev/null
    code=
    while [ -z "$code" ]; do code=$(cat "$box/exit" 2>/dev/null) || sleep 0.05; done
    [ "$rm" = 0 ] || rm -rf "$box"
    exit "$code" ;;
  kill | stop)
    verb=$1; shift
    sig=KILL time=10
    [ "$verb" = kill ] || sig=TERM
    while [ $# -gt 0 ]; do
      case $1 in
        --signal=*) sig=${1#*=} ;;
        -s | --signal) sig=$2; shift ;;
        --time=* | -t=*) time=${1#*=} ;;
        -t | --time) time=$2; shift ;;
        -*) fail "unsupported option '$1'" ;;
        *) break ;;
      esac
      shift
    done
    status=0
    for name in "$@"; do
      box=$rec/containers/$name
      if ! pid=$(cat "$box/pid" 2>/dev/null); then
        echo "Error: No such container: $name" >&2; status=1; continue
      fi
      if [ -e "$box/exit" ]; then echo "Error: container $name is not running" >&2; status=1; continue; fi
      kill -s "${sig#SIG}" "$pid" 2>/dev/null
      if [ "$verb" = stop ]; then
        n=0
        while [ ! -e "$box/exit" ] && [ "$n" -lt $((time * 20)) ]; do sleep 0.05; n=$((n + 1)); done
        [ -e "$box/exit" ] || kill -s KILL "$pid" 2>/dev/null
      fi
      echo "$name"
    done
    exit $status ;;
  *) fail "unsupported command '${1:-}'" ;;
esac
