{{p("kube-apiserver.service_account_key")}}
