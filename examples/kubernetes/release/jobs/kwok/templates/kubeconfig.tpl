apiVersion: v1
kind: Config
clusters:
  - name: vigil
    cluster:
      server: https://{{link("k8s-api").address}}:{{link("k8s-api").p("kube-apiserver.secure_port")}}
      insecure-skip-tls-verify: true
users:
  - name: admin
    user:
      token: {{link("k8s-api").p("kube-apiserver.admin_token")}}
contexts:
  - name: vigil
    context: {cluster: vigil, user: admin}
current-context: vigil
