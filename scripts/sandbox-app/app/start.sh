# Entry point of the sandbox test application (run by busybox sh as PID 1; see ../Dockerfile).
# Serves /www with busybox httpd on 127.0.0.1:$PORT and, in the background, rewrites /www/metrics every
# second with counters that grow at a ratio set by APP_ERRORS, so that PromQL rate() sees real traffic.
set -u
PORT="${PORT:-18080}"
# loopback unless told (APP_ADDR=0.0.0.0): a Swarm task is reached on its own address, through its published port
ADDR="${APP_ADDR:-127.0.0.1}"
RELEASE="${APP_RELEASE:-dev}"
HEALTH="${APP_HEALTH:-up}"
ERRORS="${APP_ERRORS:-low}"
echo "sandbox-app: release=$RELEASE health=$HEALTH errors=$ERRORS crash=${APP_CRASH:-false} port=$PORT"

if [ "${APP_CRASH:-false}" = true ]; then
  echo "sandbox-app: crashing on purpose (CRASH=true)" >&2
  sleep 1
  exit 3
fi

mkdir -p /www/actuator
printf '%s\n' "$RELEASE" > /www/release
conf=/app/httpd.conf
printf '.json:application/json\n' > "$conf"
case "$HEALTH" in
  up)
    printf '{"status":"UP"}\n' > /www/actuator/health
    cp /www/actuator/health /www/health ;;
  down)
    # busybox httpd answers 200 for any existing file: a DOWN app has no health file, so the
    # health URLs answer 404, with the DOWN document as the error page body.
    rm -f /www/actuator/health /www/health
    printf '{"status":"DOWN"}\n' > /app/down.json
    printf 'E404:/app/down.json\n' >> "$conf" ;;
  *) echo "sandbox-app: unknown HEALTH=$HEALTH (up|down)" >&2; exit 2 ;;
esac

# requests per second by status
case "$ERRORS" in
  none) ok_step=1000; err_step=0 ;;
  low)  ok_step=999;  err_step=1 ;;
  high) ok_step=80;   err_step=20 ;;
  *) echo "sandbox-app: unknown ERRORS=$ERRORS (none|low|high)" >&2; exit 2 ;;
esac

write_metrics() {
  {
    echo '# HELP sandbox_app_info The release this container serves.'
    echo '# TYPE sandbox_app_info gauge'
    echo "sandbox_app_info{release=\"$RELEASE\",health=\"$HEALTH\",errors=\"$ERRORS\"} 1"
    echo '# HELP http_server_requests_seconds Simulated HTTP server requests.'
    echo '# TYPE http_server_requests_seconds summary'
    echo "http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/api/orders\"} $1"
    echo "http_server_requests_seconds_sum{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/api/orders\"} $(($1 / 100))"
    echo "http_server_requests_seconds_count{method=\"GET\",outcome=\"SERVER_ERROR\",status=\"500\",uri=\"/api/orders\"} $2"
    echo "http_server_requests_seconds_sum{method=\"GET\",outcome=\"SERVER_ERROR\",status=\"500\",uri=\"/api/orders\"} $(($2 / 100))"
  } > /www/.metrics.tmp
  mv /www/.metrics.tmp /www/metrics
}

ok=0
err=0
write_metrics "$ok" "$err"
(
  trap 'exit 0' TERM
  while :; do
    sleep 1
    ok=$((ok + ok_step))
    err=$((err + err_step))
    write_metrics "$ok" "$err"
  done
) &
loop_pid=$!

stopping=0
# PID 1 ignores signals it has no handler for. On docker stop: no new connections (the listening parent
# ends), the requests in flight finish in their forked children, then the app exits.
trap 'stopping=1' TERM INT
if [ "${APP_START_DELAY:-0}" != 0 ]; then
  echo "sandbox-app: starting in ${APP_START_DELAY}s"
  sleep "$APP_START_DELAY" &
  wait $!
  if [ "$stopping" = 1 ]; then kill "$loop_pid" 2>/dev/null; exit 0; fi
fi
httpd -f -p "$ADDR:$PORT" -h /www -c "$conf" &
httpd_pid=$!
echo "sandbox-app: listening on $ADDR:$PORT"
while [ "$stopping" = 0 ]; do
  wait "$httpd_pid"
  status=$?
  # wait returns early (status > 128) when a trapped signal arrives; a still-running httpd means just that.
  kill -0 "$httpd_pid" 2>/dev/null || break
done
if [ "$stopping" = 0 ]; then
  echo "sandbox-app: httpd exited with status $status" >&2
  kill "$loop_pid" 2>/dev/null
  exit "$status"
fi
kill "$httpd_pid" 2>/dev/null
grace=$(( ${APP_STOP_GRACE:-5} * 10 ))
# The forked children serving requests are httpd processes too: wait until none is left, within the grace.
while [ "$grace" -gt 0 ] && [ -n "$(pidof httpd)" ]; do
  sleep 0.1
  grace=$((grace - 1))
done
kill "$loop_pid" 2>/dev/null
echo "sandbox-app: stopped gracefully"
exit 0
