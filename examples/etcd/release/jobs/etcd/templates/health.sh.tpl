#!/bin/sh
# Asks this member whether it is healthy (for operators: VM_DIR/jobs/etcd/bin/health).
exec etcdctl --endpoints=http://{{spec.address}}:{{p("etcd.client_port")}} endpoint health
