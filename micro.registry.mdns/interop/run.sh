#!/usr/bin/env bash
# Checks micro.registry.mdns against go-micro v2.9.1's own mDNS registry, both ways (get, list, watch), inside a
# private network namespace that has only lo and a dummy interface: nothing can reach the machine's network.
# Needs root, Go and (first run) the Go module proxy. Not part of the Maven build or CI; see README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
ns="micro-mdns-interop-$$"
cleanup() {
	ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

(cd "$here" && go build -o "$work/mdnsinterop" .)
(cd "$root" && mvn -o -q -B -pl micro.registry.mdns -am compile dependency:build-classpath \
	-Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=runtime)
cp="$work:$root/micro.registry.mdns/target/classes:$(cat "$work/cp.txt")"
javac -d "$work" -cp "$cp" "$here/JavaSide.java"

ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" route add 224.0.0.0/4 dev lo
run() { ip netns exec "$ns" env MDNS_ADDRESS="${MDNS_ADDRESS:-}" "$@"; }
go_() { run "$work/mdnsinterop" "$@"; }
java_() { run java -cp "$cp" JavaSide "$@" 2>&1 | { grep -v '^SLF4J' || true; }; }

passed=0
failed=0
check() { # check <label> <file> <pattern>
	if grep -q -- "$3" "$2"; then
		echo "PASS $1"
		passed=$((passed + 1))
	else
		echo "FAIL $1: no \"$3\" in:"
		sed 's/^/    /' "$2"
		failed=$((failed + 1))
	fi
}

scenario() { # scenario <label> <node host shown to Go and Java>
	local label=$1 host=$2 js="svc.java.$RANDOM" gs="svc.go.$RANDOM"
	go_ watch "$js" 9s >"$work/go-watch" 2>&1 &
	local watcher=$!
	sleep 0.5
	java_ register "$js" 4s >"$work/java-reg" &
	local registrar=$!
	sleep 2
	go_ get "$js" >"$work/go-get" 2>&1
	go_ list >"$work/go-list" 2>&1
	wait "$registrar" "$watcher"
	check "$label: Go GetService finds the Java node" "$work/go-get" "node latest $js-java1 $host:7070 map\[lang:java\] endpoints=1"
	check "$label: Go ListServices lists the Java service" "$work/go-list" "service $js"
	check "$label: Go Watch sees create" "$work/go-watch" "watch create $js-java1 $host:7070"
	check "$label: Go Watch sees the goodbye" "$work/go-watch" "watch delete $js-java1"

	java_ watch "$gs" 10s >"$work/java-watch" &
	watcher=$!
	sleep 1.5
	go_ register "$gs" 6s >"$work/go-reg" 2>&1 &
	registrar=$!
	sleep 2.5
	java_ get "$gs" >"$work/java-get"
	java_ list >"$work/java-list"
	wait "$registrar" "$watcher"
	check "$label: Java getService finds the Go node" "$work/java-get" "node latest $gs-go1 127.0.0.1:6060 {lang=go} endpoints=1"
	check "$label: Java listServices lists the Go service" "$work/java-list" "service $gs"
	check "$label: Java watch sees create" "$work/java-watch" "watch create $gs-go1 127.0.0.1:6060"
	check "$label: Java watch sees the goodbye" "$work/java-watch" "watch delete $gs-go1"
}

# 1. Loopback, the default.
scenario loopback 127.0.0.1

# 2. A network interface (registry_address=v0): a veth pair with both ends inside this namespace, so multicast loops
#    back here and goes nowhere else. Go's registry uses the interface of the multicast route.
ip -n "$ns" link add v0 type veth peer name v1
ip -n "$ns" addr add 198.51.100.1/24 dev v0
ip -n "$ns" link set v1 up
ip -n "$ns" link set v0 up
ip -n "$ns" route replace 224.0.0.0/4 dev v0
MDNS_ADDRESS=v0 scenario interface 198.51.100.1

echo "interop: $passed checks passed, $failed failed"
[ "$failed" -eq 0 ]
