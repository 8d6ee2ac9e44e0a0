#!/bin/sh
# Builds the Go PostgreSQL driver plugin offline, in GOPATH mode, from Debian's packaged Go sources
# (golang-go, golang-github-hashicorp-go-plugin-dev, golang-google-grpc-dev, golang-goprotobuf-dev,
# golang-github-lib-pq-dev, protobuf-compiler): the Go stubs of ../../proto/driver.proto with
# protoc-gen-go, then `go build`. Writes $1 (default: ./stb-go-postgres-plugin).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/stb-go-postgres-plugin}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/sqltrace/driverpb" "$work/src/sqltrace/go-postgres-plugin"
protoc -I "$here/../../proto" --go_out=plugins=grpc:"$work/src" "$here/../../proto/driver.proto"
cp "$here/main.go" "$work/src/sqltrace/go-postgres-plugin/"
cd "$work/src/sqltrace/go-postgres-plugin"
GOPATH="$work:/usr/share/gocode" GO111MODULE=off GOFLAGS= GOCACHE="${GOCACHE:-$HOME/.cache/go-build}" go build -o "$out" .
echo "built $out"
