{{/* Release-wide name prefix: the release name, or <release>-securebase when it lacks it. */}}
{{- define "securebase.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* A service's Kubernetes name. Call with (dict "root" $ "name" <service>). */}}
{{- define "securebase.serviceName" -}}
{{- printf "%s-%s" (include "securebase.fullname" .root) .name -}}
{{- end -}}

{{- define "securebase.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: securebase
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: securebase
{{- end -}}

{{/* Selector of one service's pods. Call with (dict "root" $ "name" <service>). */}}
{{- define "securebase.selector" -}}
app.kubernetes.io/name: securebase
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "securebase.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "securebase.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The services that are switched on, in a stable order. */}}
{{- define "securebase.enabledServices" -}}
{{- $names := list -}}
{{- range $name, $svc := .Values.services -}}
{{- if $svc.enabled -}}{{- $names = append $names $name -}}{{- end -}}
{{- end -}}
{{- join "," $names -}}
{{- end -}}

{{- define "securebase.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag -}}
{{- if eq .root.Values.image.flavour "jvm" -}}{{- $tag = printf "%s-jvm" $tag -}}{{- end -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .name $tag -}}
{{- end -}}

{{/* The Secret holding a service's database roles. Call with (dict "root" $ "name" <service>). */}}
{{- define "securebase.dbSecret" -}}
{{- if .root.Values.postgresql.existingSecret -}}
{{- .root.Values.postgresql.existingSecret | replace "{service}" .name -}}
{{- else -}}
{{- printf "%s-db" (include "securebase.serviceName" .) -}}
{{- end -}}
{{- end -}}

{{- define "securebase.jwtSecret" -}}
{{- default (printf "%s-jwt" (include "securebase.fullname" .)) .Values.jwt.existingSecret -}}
{{- end -}}

{{- define "securebase.postgresQuery" -}}
{{- printf "%s:%d/%s?sslmode=%s" .Values.postgresql.host (int .Values.postgresql.port) .Values.postgresql.database .Values.postgresql.sslMode -}}
{{- end -}}

{{/* The gateway's routes: path prefix name (application.properties) to the service behind it. */}}
{{- define "securebase.routes" -}}
billing: billing
usage: billing
invoices: billing
metrics: billing
analytics: analytics
forecasts: forecasting
budgets: forecasting
anomalies: forecasting
support: support
notifications: notifications
preferences: notifications
webhooks: webhooks
{{- end -}}

{{/* Environment of one service's database roles. Call with (dict "root" $ "name" <service> "owner" bool). */}}
{{- define "securebase.dbEnv" -}}
{{- $secret := include "securebase.dbSecret" . -}}
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom: {secretKeyRef: {name: {{ $secret }}, key: app-username}}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ $secret }}, key: app-password}}
{{- if .owner }}
- name: QUARKUS_FLYWAY_USERNAME
  valueFrom: {secretKeyRef: {name: {{ $secret }}, key: owner-username}}
- name: QUARKUS_FLYWAY_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ $secret }}, key: owner-password}}
{{- end }}
{{- end -}}

{{/* Environment every service container gets (configuration file, secrets by reference). */}}
{{- define "securebase.commonEnv" -}}
- name: QUARKUS_CONFIG_LOCATIONS
  value: /etc/securebase/config/application.properties
{{- if eq .root.Values.image.flavour "jvm" }}
- name: JAVA_OPTS_APPEND
  value: {{ .root.Values.jvm.options | quote }}
{{- end }}
{{- if .root.Values.kafka.sasl.existingSecret }}
- name: KAFKA_SASL_USERNAME
  valueFrom: {secretKeyRef: {name: {{ .root.Values.kafka.sasl.existingSecret }}, key: username}}
- name: KAFKA_SASL_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ .root.Values.kafka.sasl.existingSecret }}, key: password}}
{{- end }}
{{- end -}}

{{- define "securebase.volumeMounts" -}}
- {name: config, mountPath: /etc/securebase/config, readOnly: true}
- {name: tmp, mountPath: /tmp}
{{- if .withJwt }}
- {name: jwt, mountPath: /etc/securebase/jwt, readOnly: true}
{{- end }}
{{- if .root.Values.kafka.tls.caSecret }}
- {name: kafka-ca, mountPath: /etc/securebase/kafka-ca, readOnly: true}
{{- end }}
{{- end -}}

{{- define "securebase.volumes" -}}
- name: config
  configMap: {name: {{ include "securebase.serviceName" . }}-config}
- name: tmp
  emptyDir: {sizeLimit: {{ .root.Values.tmpVolume.sizeLimit }}}
{{- if .withJwt }}
- name: jwt
  secret:
    secretName: {{ include "securebase.jwtSecret" .root }}
    items:
      - {key: public.pem, path: public.pem}
      {{- if eq .name "gateway" }}
      - {key: private.pem, path: private.pem}
      {{- end }}
{{- end }}
{{- if .root.Values.kafka.tls.caSecret }}
- name: kafka-ca
  secret: {secretName: {{ .root.Values.kafka.tls.caSecret }}, items: [{key: ca.crt, path: ca.crt}]}
{{- end }}
{{- end -}}

{{/* Egress to DNS and PostgreSQL (services and migration jobs). */}}
{{- define "securebase.databaseEgress" -}}
{{- $np := .Values.networkPolicy -}}
- ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
  to:
    {{- toYaml $np.dnsTo | nindent 4 }}
- ports: [{port: {{ .Values.postgresql.port }}, protocol: TCP}]
  {{- with $np.postgresTo }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{/* Egress every service needs: DNS, PostgreSQL and Kafka. */}}
{{- define "securebase.baseEgress" -}}
{{- $np := .Values.networkPolicy -}}
{{ include "securebase.databaseEgress" . }}
- ports:
    {{- range $np.kafkaPorts }}
    - {port: {{ . }}, protocol: TCP}
    {{- end }}
  {{- with $np.kafkaTo }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
