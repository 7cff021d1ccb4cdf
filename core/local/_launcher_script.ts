/**
 * The launcher's script: a small Perl program (Perl is part of every Debian, Ubuntu and macOS install; only its
 * core modules POSIX and Fcntl are used) that starts jobs for the supervisor.
 *
 * Requests, on its stdin: a header line `s ID MKDIR LEN...` followed by five strings whose byte lengths it
 * lists: the working directory (created first, with its parents, when MKDIR is 1), a log file to create (mode
 * 0600, with its directory, mode 0700; none when empty), the bytes to append to that log first, the environment
 * (`NAME=value` entries separated by NUL) and the argv (separated by NUL).
 *
 * Answers, on its stdout: `r` once (ready); `p ID PID START` (started: the job leads its own session and process
 * group and its program was executed; START is field 22 of /proc/PID/stat, empty without /proc); `f ID MESSAGE`
 * (could not create the directory or the log, fork, or execute the program: nothing runs); `o ID FD LEN` followed
 * by LEN bytes of the job's stdout (FD 1) or stderr (FD 2); `x ID CODE` (the job's process ended: its exit code,
 * or 128 + the signal that killed it); `c ID` (both output pipes closed).
 *
 * It exits when its stdin closes (the supervisor stopped, or died): the jobs' pipes close with it, as when they
 * were the supervisor's own children. The working directory and the log are created by the job's own process
 * between fork and exec (file creation costs about 0.5 ms of system time each on some file systems: done there,
 * it runs in parallel and off the launcher's loop); that process reports a failure on a close-on-exec pipe.
 * @module
 */

/** The Perl source of the launcher (run with `perl -e`). */
export const LAUNCHER_SCRIPT = `use strict;
use warnings;
use POSIX ();
use Fcntl qw(F_GETFL F_SETFL O_NONBLOCK O_WRONLY O_APPEND O_CREAT);
my ($sigr, $sigw);
pipe($sigr, $sigw) or die "ezbatch launcher: pipe: $!\\n";
for my $fh ($sigr, $sigw) { fcntl($fh, F_SETFL, fcntl($fh, F_GETFL, 0) | O_NONBLOCK) }
$SIG{CHLD} = sub { syswrite($sigw, "x") };
# Jobs by id: pid, the status pipe until the job runs, its output pipes, and whether it ended.
my (%jobs, %bypid, %byfd);
my $in = '';
sub emit {
  my ($s) = @_;
  my $off = 0;
  while ($off < length $s) {
    my $n = syswrite(STDOUT, $s, length($s) - $off, $off);
    if (!defined $n) { next if $!{EINTR}; POSIX::_exit(0) }
    $off += $n;
  }
}
sub mkpath {
  my ($p, $mode) = @_;
  return 1 if -d $p;
  (my $parent = $p) =~ s{/+[^/]*$}{};
  mkpath($parent, $mode) if length $parent;
  return mkdir($p, $mode) || -d $p;
}
sub writelog {
  my ($log, $head) = @_;
  (my $dir = $log) =~ s{/+[^/]*$}{};
  mkpath($dir, 0700);
  sysopen(my $fh, $log, O_WRONLY | O_APPEND | O_CREAT, 0600) or return 0;
  my $size = -s $fh;
  my $off = 0;
  while ($off < length $head) {
    my $n = syswrite($fh, $head, length($head) - $off, $off);
    if (!defined $n) { next if $!{EINTR}; my $e = $!; truncate($fh, $size); $! = $e; return 0 }
    $off += $n;
  }
  return close($fh);
}
sub forget {
  my ($id) = @_;
  my $j = $jobs{$id};
  delete $jobs{$id} if $j->{reaped} && !$j->{status} && $j->{open} == 0;
}
# The status pipe of a job closes at its exec (close-on-exec), or carries why it could not start.
sub status {
  my ($id, $wait) = @_;
  my $j = $jobs{$id};
  while (1) {
    my $r = sysread($j->{status}, my $data, 4096);
    if (!defined $r) { next if $!{EINTR}; return if $!{EAGAIN} && !$wait; $r = 0 }
    if ($r > 0) { $j->{message} .= $data; next if $wait; return }
    last;
  }
  delete $byfd{fileno($j->{status})};
  close(delete $j->{status});
  if (length $j->{message}) {
    (my $m = $j->{message}) =~ s/\\n/ /g;
    emit("f $id $m\\n");
    close($_) for @{$j->{pipes}};
    $j->{open} = 0;
    $j->{failed} = 1;
  } else {
    my $start = '';
    if (open(my $stat, '<', "/proc/$j->{pid}/stat")) {
      my $line = <$stat>;
      $start = (split / /, substr($line, rindex($line, ')') + 2))[19] // '' if defined $line;
      close($stat);
    }
    emit("p $id $j->{pid} $start\\n");
    $byfd{fileno($j->{pipes}[0])} = [$id, 1, $j->{pipes}[0]];
    $byfd{fileno($j->{pipes}[1])} = [$id, 2, $j->{pipes}[1]];
  }
  forget($id);
}
sub start {
  my ($id, $cwd, $make, $log, $head, $env, $argv) = @_;
  my ($or, $ow, $er, $ew, $sr, $sw);
  if (!(pipe($or, $ow) && pipe($er, $ew) && pipe($sr, $sw))) { emit("f $id Cannot make pipes: $!\\n"); return }
  my $pid = fork();
  if (!defined $pid) { emit("f $id Cannot fork: $!\\n"); return }
  if ($pid == 0) {
    my $fail = sub { syswrite($sw, $_[0]); POSIX::_exit(127) };
    $SIG{CHLD} = 'DEFAULT';
    POSIX::setsid();
    $fail->("Cannot create '$cwd': $!") if $make && !mkpath($cwd, 0777);
    $fail->("Cannot write the log '$log': $!") if length $log && !writelog($log, $head);
    open(STDIN, '<', '/dev/null');
    POSIX::dup2(fileno($ow), 1);
    POSIX::dup2(fileno($ew), 2);
    chdir($cwd) or $fail->("Cannot enter '$cwd': $!");
    %ENV = ();
    for my $e (@$env) { my ($k, $v) = split /=/, $e, 2; $ENV{$k} = $v }
    { no warnings 'exec'; exec { $argv->[0] } @$argv; }
    $fail->("Failed to spawn '$argv->[0]': $!");
  }
  close($_) for ($ow, $ew, $sw);
  fcntl($sr, F_SETFL, fcntl($sr, F_GETFL, 0) | O_NONBLOCK);
  $jobs{$id} = { pid => $pid, status => $sr, message => '', pipes => [$or, $er], open => 2 };
  $bypid{$pid} = $id;
  $byfd{fileno($sr)} = [$id, 0, $sr];
}
sub parse {
  while (1) {
    my $nl = index($in, "\\n");
    return if $nl < 0;
    my ($tag, $id, $make, @lens) = split / /, substr($in, 0, $nl);
    my $total = 0;
    $total += $_ for @lens;
    return if length($in) < $nl + 1 + $total;
    my $off = $nl + 1;
    my @f;
    for my $l (@lens) { push @f, substr($in, $off, $l); $off += $l }
    $in = substr($in, $off);
    my ($cwd, $log, $head, $env, $args) = @f;
    start($id, $cwd, $make, $log, $head, [split /\\0/, $env, -1], [split /\\0/, $args, -1]);
  }
}
sub reap {
  while ((my $pid = waitpid(-1, POSIX::WNOHANG())) > 0) {
    my $st = $?;
    my $id = delete $bypid{$pid};
    next unless defined $id;
    my $j = $jobs{$id};
    status($id, 1) if $j->{status};
    $j->{reaped} = 1;
    if (!$j->{failed}) {
      my $code = ($st & 127) ? 128 + ($st & 127) : ($st >> 8);
      emit("x $id $code\\n");
    }
    forget($id);
  }
}
emit("r\\n");
my $stdin = 1;
while (1) {
  my $rin = '';
  vec($rin, 0, 1) = 1 if $stdin;
  vec($rin, fileno($sigr), 1) = 1;
  vec($rin, $_, 1) = 1 for keys %byfd;
  my $rout = $rin;
  my $n = select($rout, undef, undef, undef);
  if ($n < 0) { next if $!{EINTR}; die "ezbatch launcher: select: $!\\n" }
  if (vec($rout, fileno($sigr), 1)) { sysread($sigr, my $junk, 4096) }
  for my $fd (keys %byfd) {
    my $e = $byfd{$fd};
    next unless $e && $e->[1] == 0 && vec($rout, $fd, 1);
    status($e->[0], 0);
  }
  reap();
  for my $fd (keys %byfd) {
    my $e = $byfd{$fd};
    next unless $e && $e->[1] != 0 && vec($rout, $fd, 1);
    my $r = sysread($e->[2], my $data, 65536);
    if (!defined $r) { next if $!{EINTR} || $!{EAGAIN}; $r = 0 }
    if ($r > 0) { emit("o $e->[0] $e->[1] $r\\n" . $data); next }
    close($e->[2]);
    delete $byfd{$fd};
    my $j = $jobs{$e->[0]};
    if (--$j->{open} == 0) { emit("c $e->[0]\\n"); forget($e->[0]) }
  }
  if ($stdin && vec($rout, 0, 1)) {
    my $r = sysread(STDIN, my $data, 65536);
    if (!defined $r) { next if $!{EINTR}; exit 0 }
    exit 0 if $r == 0;
    $in .= $data;
    parse();
  }
}
`;
