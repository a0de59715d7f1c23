{{p("kube-apiserver.admin_token")}},admin,admin-uid,"system:masters"
