package com.securebase.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.securebase.catalog.EventCatalog;
import com.securebase.catalog.TopicDefinition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart, with no cluster and no helm binary: strict lint, renders with the notable options
 * parsed into typed models, what every workload must have, the network rules, the topics against
 * the catalog, the schema refusing bad values, and deploy/k8s in step with the chart.
 */
class ChartTest {
  static final Map<String, Integer> SERVICES =
      Map.of(
          "gateway", 8080,
          "billing", 8081,
          "analytics", 8082,
          "forecasting", 8083,
          "support", 8085,
          "notifications", 8086,
          "webhooks", 8087);

  static final String JVM = "image: {flavour: jvm}\n";
  static final String HPA_OFF = perService("autoscaling: {enabled: false}");
  static final String TWO_REPLICAS = perService("replicas: 2, autoscaling: {enabled: false}");
  static final String EXISTING_SECRETS =
      """
      postgresql: {existingSecret: "db-{service}", bootstrap: {enabled: false}}
      jwt: {existingSecret: platform-jwt}
      smtp: {existingSecret: smtp-login}
      kafka: {securityProtocol: SASL_SSL, sasl: {existingSecret: kafka-login}, tls: {caSecret: kafka-ca}}
      """;
  static final String SERVICE_MONITOR = "metrics: {serviceMonitor: {enabled: true}}\n";

  /** The values of one option, keyed by the name the parameterised tests use. */
  static final Map<String, String> OPTIONS =
      Map.of(
          "defaults", "",
          "jvm", JVM,
          "hpa-off", HPA_OFF,
          "existing-secrets", EXISTING_SECRETS,
          "service-monitor", SERVICE_MONITOR,
          "two-replicas", TWO_REPLICAS);

  static String perService(String settings) {
    return "services:\n"
        + SERVICES.keySet().stream()
            .map(name -> "  " + name + ": {" + settings + "}\n")
            .collect(Collectors.joining());
  }

  static String name(String service) {
    return "securebase-" + service;
  }

  @Test
  void lintsStrictly() {
    LintResult lint = new Helm(ChartRender.chart()).lint().strict().call();
    assertThat(lint.isFailed()).as("lint: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "defaults",
        "jvm",
        "hpa-off",
        "existing-secrets",
        "service-monitor",
        "two-replicas"
      })
  void everyOptionRendersObjectsTheModelsKnowFully(String option) {
    Rendered rendered = Rendered.withHooks(OPTIONS.get(option));
    assertThat(rendered.unknownFields()).as("fields unknown to the models").isEmpty();
    assertThat(rendered.all(Deployment.class)).hasSize(SERVICES.size());
    boolean existing = option.equals("existing-secrets");
    SERVICES.forEach(
        (service, port) ->
            assertWorkload(
                rendered, service, port, existing ? "db-" + service : name(service) + "-db"));
  }

  /** Probes, resources, security context, Postgres and Kafka settings, and a Service in front. */
  static void assertWorkload(Rendered rendered, String service, int port, String dbSecret) {
    Deployment deployment = rendered.get(Deployment.class, name(service));
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    Container container = pod.getContainers().get(0);
    assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(port);
    assertProbe(container.getStartupProbe(), "/q/health/started");
    assertProbe(container.getLivenessProbe(), "/q/health/live");
    assertProbe(container.getReadinessProbe(), "/q/health/ready");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    var security = container.getSecurityContext();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getVolumeMounts())
        .anyMatch(m -> m.getMountPath().equals("/tmp"))
        .anyMatch(m -> m.getMountPath().equals("/etc/securebase/config"));

    Map<String, EnvVar> env = env(container);
    assertThat(env.get("QUARKUS_CONFIG_LOCATIONS").getValue())
        .isEqualTo("/etc/securebase/config/application.properties");
    assertSecretRef(env, "QUARKUS_DATASOURCE_USERNAME", dbSecret, "app-username");
    assertSecretRef(env, "QUARKUS_DATASOURCE_PASSWORD", dbSecret, "app-password");
    String properties = properties(rendered, service);
    assertThat(properties)
        .contains("quarkus.http.port=" + port)
        .contains("quarkus.datasource.reactive.url=postgresql://postgresql:5432/securebase")
        .contains("quarkus.datasource.jdbc.url=jdbc:postgresql://postgresql:5432/securebase")
        .contains("kafka.bootstrap.servers=securebase-kafka-kafka-bootstrap:9092")
        .contains("mp.jwt.verify.publickey.location=file:/etc/securebase/jwt/public.pem");

    Service front = rendered.get(Service.class, name(service));
    assertThat(front.getSpec().getPorts().get(0).getPort()).isEqualTo(port);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(front.getSpec().getSelector());
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .isEqualTo(front.getSpec().getSelector());
  }

  static String properties(Rendered rendered, String service) {
    return rendered
        .get(ConfigMap.class, name(service) + "-config")
        .getData()
        .get("application.properties");
  }

  static Container container(Rendered rendered, String service) {
    return rendered
        .get(Deployment.class, name(service))
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  static void assertProbe(Probe probe, String path) {
    assertThat(probe).as(path).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
  }

  static Map<String, EnvVar> env(Container container) {
    return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
  }

  static void assertSecretRef(Map<String, EnvVar> env, String name, String secret, String key) {
    assertThat(env).containsKey(name);
    var ref = env.get(name).getValueFrom().getSecretKeyRef();
    assertThat(ref.getName()).as(name).isEqualTo(secret);
    assertThat(ref.getKey()).as(name).isEqualTo(key);
  }

  @Test
  void defaultsAreNativeImagesAutoscaledWithDisruptionBudgetsAndMigrationJobs() {
    Rendered rendered = Rendered.withHooks();
    for (String service : SERVICES.keySet()) {
      Deployment deployment = rendered.get(Deployment.class, name(service));
      Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(container.getImage()).isEqualTo("ghcr.io/securebase/" + service + ":0.1.0");
      assertThat(env(container)).doesNotContainKeys("JAVA_OPTS_APPEND", "QUARKUS_FLYWAY_USERNAME");
      assertThat(deployment.getSpec().getReplicas()).as("replicas are the HPA's").isNull();
      HorizontalPodAutoscaler hpa = rendered.get(HorizontalPodAutoscaler.class, name(service));
      assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(name(service));
      assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
      PodDisruptionBudget pdb = rendered.get(PodDisruptionBudget.class, name(service));
      assertThat(pdb.getSpec().getSelector().getMatchLabels())
          .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
      assertThat(properties(rendered, service)).contains("quarkus.flyway.migrate-at-start=false");

      // The one writer of the schema: a pre-install/pre-upgrade Job with the owner's login.
      Job migrate = rendered.get(Job.class, name(service) + "-migrate");
      assertHook(migrate, "pre-install,pre-upgrade", "0");
      Container job = migrate.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(job.getImage()).isEqualTo(container.getImage());
      Map<String, EnvVar> jobEnv = env(job);
      assertThat(jobEnv.get("QUARKUS_INIT_AND_EXIT").getValue()).isEqualTo("true");
      assertThat(jobEnv.get("QUARKUS_FLYWAY_MIGRATE_AT_START").getValue()).isEqualTo("true");
      assertThat(jobEnv.get("KAFKA_BOOTSTRAP_SERVERS").getValue())
          .isEqualTo("securebase-kafka-kafka-bootstrap:9092");
      assertThat(jobEnv.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION").getValue())
          .isEqualTo("file:/etc/securebase/jwt/public.pem");
      assertSecretRef(jobEnv, "QUARKUS_FLYWAY_USERNAME", name(service) + "-db", "owner-username");
      assertSecretRef(jobEnv, "QUARKUS_FLYWAY_PASSWORD", name(service) + "-db", "owner-password");
      assertThat(job.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    }
    Container gateway = container(rendered, "gateway");
    assertThat(properties(rendered, "gateway"))
        .contains("smallrye.jwt.sign.key.location=file:/etc/securebase/jwt/private.pem")
        .contains("securebase.gateway.routes.invoices.url=http://securebase-billing:8081")
        .contains("securebase.gateway.routes.anomalies.url=http://securebase-forecasting:8083")
        .contains("securebase.gateway.routes.preferences.url=http://securebase-notifications:8086");
    assertThat(gateway.getVolumeMounts()).anyMatch(m -> m.getName().equals("jwt"));
    // Only the gateway gets the private key.
    var supportJwt =
        rendered
            .get(Deployment.class, name("support"))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getVolumes()
            .stream()
            .filter(v -> v.getName().equals("jwt"))
            .findFirst()
            .orElseThrow();
    assertThat(supportJwt.getSecret().getItems()).extracting("key").containsExactly("public.pem");

    // Order of the hooks: secrets, then roles and schemas, then migrations.
    Job secrets = rendered.get(Job.class, "securebase-secrets");
    assertHook(secrets, "pre-install,pre-upgrade", "-30");
    String script =
        secrets.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().get(0);
    assertThat(script).contains("create securebase-jwt --from-file=private.pem=");
    SERVICES.keySet().forEach(s -> assertThat(script).contains("create " + name(s) + "-db "));
    assertThat(secrets.getSpec().getTemplate().getSpec().getInitContainers())
        .extracting(c -> String.join(" ", c.getCommand()))
        .containsExactly(
            "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out /keys/private.pem",
            "openssl pkey -in /keys/private.pem -pubout -out /keys/public.pem");
    assertHook(
        rendered.get(ServiceAccount.class, "securebase-secrets"), "pre-install,pre-upgrade", "-40");
    Job bootstrap = rendered.get(Job.class, "securebase-db-bootstrap");
    assertHook(bootstrap, "pre-install,pre-upgrade", "-10");
    assertThat(bootstrap.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactlyInAnyOrderElementsOf(SERVICES.keySet());
    assertThat(
            rendered
                .get(ConfigMap.class, "securebase-db-bootstrap")
                .getData()
                .get("service-bootstrap.sql"))
        .contains("CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${owner}");
    assertThat(rendered.all(Secret.class)).as("no secret material in the chart").isEmpty();
    assertThat(rendered.all(ServiceMonitor.class)).isEmpty();
  }

  static void assertHook(HasMetadata object, String hook, String weight) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    assertThat(annotations).containsEntry(Rendered.HOOK_ANNOTATION, hook);
    if (weight != null) {
      assertThat(annotations).containsEntry(Rendered.HOOK_ANNOTATION + "-weight", weight);
    }
  }

  @Test
  void helmTestCallsTheGatewayReadinessThroughItsService() {
    Pod test = Rendered.withHooks().get(Pod.class, "securebase-test-gateway");
    assertHook(test, "test", null);
    assertThat(test.getSpec().getContainers().get(0).getArgs())
        .contains("http://securebase-gateway:8080/q/health/ready");
    assertThat(test.getSpec().getSecurityContext().getRunAsUser()).isNotZero();
  }

  @Test
  void jvmFlavourUsesJvmImagesOptionsAndResources() {
    Rendered rendered = Rendered.withHooks(JVM);
    for (String service : SERVICES.keySet()) {
      Container container = container(rendered, service);
      assertThat(container.getImage()).isEqualTo("ghcr.io/securebase/" + service + ":0.1.0-jvm");
      assertThat(env(container).get("JAVA_OPTS_APPEND").getValue())
          .contains("-XX:MaxRAMPercentage=70");
      assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("768Mi");
      assertThat(
              rendered
                  .get(Job.class, name(service) + "-migrate")
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .getImage())
          .endsWith("-jvm");
    }
  }

  @Test
  void withoutAutoscalingTheDeploymentsCarryTheirReplicas() {
    Rendered off = Rendered.with(HPA_OFF);
    assertThat(off.all(HorizontalPodAutoscaler.class)).isEmpty();
    off.all(Deployment.class).forEach(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(2));
    Rendered one = Rendered.with(perService("replicas: 1, autoscaling: {enabled: false}"));
    one.all(Deployment.class).forEach(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(1));
    Rendered two = Rendered.with(TWO_REPLICAS);
    assertThat(two.all(PodDisruptionBudget.class)).hasSize(SERVICES.size());
    two.all(Deployment.class).forEach(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(2));
  }

  @Test
  void existingSecretsAreReferencedAndNothingIsGenerated() {
    Rendered rendered = Rendered.withHooks(EXISTING_SECRETS);
    assertThat(rendered.find(Job.class, "securebase-secrets")).isEmpty();
    assertThat(rendered.find(Job.class, "securebase-db-bootstrap")).isEmpty();
    assertThat(rendered.find(ServiceAccount.class, "securebase-secrets")).isEmpty();
    for (String service : SERVICES.keySet()) {
      PodSpec pod = rendered.get(Deployment.class, name(service)).getSpec().getTemplate().getSpec();
      Map<String, EnvVar> env = env(pod.getContainers().get(0));
      assertSecretRef(env, "KAFKA_SASL_USERNAME", "kafka-login", "username");
      assertSecretRef(env, "KAFKA_SASL_PASSWORD", "kafka-login", "password");
      assertThat(pod.getVolumes())
          .anyMatch(
              v -> v.getSecret() != null && v.getSecret().getSecretName().equals("platform-jwt"))
          .anyMatch(v -> v.getSecret() != null && v.getSecret().getSecretName().equals("kafka-ca"));
      String properties = properties(rendered, service);
      assertThat(properties)
          .contains("kafka.security.protocol=SASL_SSL")
          .contains("kafka.sasl.mechanism=SCRAM-SHA-512")
          .contains("ScramLoginModule required username=\"${KAFKA_SASL_USERNAME}\"")
          .contains("kafka.ssl.truststore.location=/etc/securebase/kafka-ca/ca.crt");
      boolean mails = service.equals("notifications") || service.equals("analytics");
      assertThat(env.containsKey("SMTP_PASSWORD")).as(service).isEqualTo(mails);
      if (mails) {
        assertSecretRef(env, "SMTP_PASSWORD", "smtp-login", "password");
        assertThat(properties)
            .contains("quarkus.mailer.host=smtp.example.com")
            .contains("quarkus.mailer.password=${SMTP_PASSWORD}");
      }
    }
  }

  @Test
  void serviceMonitorsScrapeQuarkusMetricsAndPrometheusMayReachThem() {
    Rendered rendered = Rendered.with(SERVICE_MONITOR);
    assertThat(rendered.all(ServiceMonitor.class)).hasSize(SERVICES.size());
    for (String service : SERVICES.keySet()) {
      ServiceMonitor monitor = rendered.get(ServiceMonitor.class, name(service));
      assertThat(monitor.getSpec().getEndpoints().get(0).getPath()).isEqualTo("/q/metrics");
      assertThat(monitor.getSpec().getEndpoints().get(0).getPort()).isEqualTo("http");
      assertThat(monitor.getSpec().getSelector().getMatchLabels())
          .isEqualTo(rendered.get(Service.class, name(service)).getSpec().getSelector());
      List<NetworkPolicyIngressRule> ingress =
          rendered.get(NetworkPolicy.class, name(service)).getSpec().getIngress();
      assertThat(ingress)
          .extracting(rule -> describe(rule.getPorts(), rule.getFrom()))
          .contains("http to namespace:{kubernetes.io/metadata.name=monitoring}");
    }
  }

  @Test
  void topicsAreTheCatalogs() {
    List<KafkaTopic> topics = Rendered.with().all(KafkaTopic.class);
    EventCatalog catalog = EventCatalog.load();
    assertThat(topics)
        .extracting(t -> t.getSpec().getTopicName())
        .containsExactlyInAnyOrderElementsOf(
            catalog.topics().stream().map(TopicDefinition::name).toList());
    for (KafkaTopic topic : topics) {
      TopicDefinition expected = catalog.topic(topic.getSpec().getTopicName()).orElseThrow();
      assertThat(topic.getMetadata().getLabels())
          .containsEntry("strimzi.io/cluster", "securebase-kafka");
      assertThat(topic.getSpec().getPartitions()).isEqualTo(expected.partitions());
      assertThat(topic.getSpec().getReplicas()).isEqualTo((int) expected.replicationFactor());
      assertThat(topic.getSpec().getConfig())
          .containsEntry("cleanup.policy", expected.cleanupPolicy());
      assertThat(((Number) topic.getSpec().getConfig().get("retention.ms")).longValue())
          .isEqualTo(expected.retentionMs());
    }
    assertThat(Rendered.with("kafka: {topics: {replicas: 1}}").all(KafkaTopic.class))
        .allMatch(t -> t.getSpec().getReplicas() == 1);
    assertThat(Rendered.with("kafka: {topics: {create: false}}").all(KafkaTopic.class)).isEmpty();
  }

  /** A rule summarised: what it allows, as the test's expectation spells it. */
  static String describe(List<NetworkPolicyPort> ports, List<NetworkPolicyPeer> peers) {
    String portText =
        ports == null || ports.isEmpty()
            ? "any-port"
            : ports.stream()
                .map(
                    p ->
                        p.getPort().getIntVal() != null
                            ? p.getPort().getIntVal().toString()
                            : p.getPort().getStrVal())
                .distinct()
                .collect(Collectors.joining("+"));
    String peerText =
        peers == null || peers.isEmpty()
            ? "anywhere"
            : peers.stream()
                .map(
                    peer -> {
                      if (peer.getIpBlock() != null) {
                        return peer.getIpBlock().getCidr()
                            + (peer.getIpBlock().getExcept().isEmpty() ? "" : "-private");
                      }
                      if (peer.getPodSelector() != null
                          && peer.getPodSelector().getMatchLabels() != null
                          && peer.getPodSelector()
                              .getMatchLabels()
                              .containsKey("app.kubernetes.io/component")) {
                        return "pods:"
                            + peer.getPodSelector()
                                .getMatchLabels()
                                .get("app.kubernetes.io/component");
                      }
                      if (peer.getPodSelector() != null
                          && "kube-dns"
                              .equals(peer.getPodSelector().getMatchLabels().get("k8s-app"))) {
                        return "kube-dns";
                      }
                      return "namespace:" + peer.getNamespaceSelector().getMatchLabels();
                    })
                .collect(Collectors.joining("+"));
    return portText + " to " + peerText;
  }

  @Test
  void networkPoliciesAllowWhatEachServiceNeedsAndNothingMore() {
    Rendered rendered = Rendered.with();
    Set<String> base = Set.of("53 to kube-dns", "5432 to anywhere", "9092+9093 to anywhere");
    for (String service : SERVICES.keySet()) {
      NetworkPolicy policy = rendered.get(NetworkPolicy.class, name(service));
      assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
      assertThat(policy.getSpec().getPodSelector().getMatchLabels())
          .containsEntry("app.kubernetes.io/component", service);
      Set<String> ingress =
          policy.getSpec().getIngress().stream()
              .map(r -> describe(r.getPorts(), r.getFrom()))
              .collect(Collectors.toCollection(TreeSet::new));
      assertThat(ingress)
          .as("%s ingress", service)
          .containsExactly(service.equals("gateway") ? "http to anywhere" : "http to pods:gateway");

      Set<String> expected = new TreeSet<>(base);
      switch (service) {
        case "gateway" ->
            SERVICES.forEach(
                (other, port) -> {
                  if (!other.equals("gateway")) {
                    expected.add(port + " to pods:" + other);
                  }
                });
        case "webhooks" -> expected.add("any-port to 0.0.0.0/0-private");
        case "notifications", "analytics" -> {
          expected.add("587 to anywhere");
          expected.add("443 to 0.0.0.0/0-private");
        }
        default -> {}
      }
      Set<String> egress =
          policy.getSpec().getEgress().stream()
              .map((NetworkPolicyEgressRule r) -> describe(r.getPorts(), r.getTo()))
              .collect(Collectors.toCollection(TreeSet::new));
      assertThat(egress).as("%s egress", service).isEqualTo(expected);
    }
    // Private ranges (cluster, metadata service) are outside every internet rule.
    rendered.all(NetworkPolicy.class).stream()
        .flatMap(p -> p.getSpec().getEgress().stream())
        .flatMap(r -> r.getTo() == null ? java.util.stream.Stream.empty() : r.getTo().stream())
        .filter(peer -> peer.getIpBlock() != null)
        .forEach(
            peer ->
                assertThat(peer.getIpBlock().getExcept())
                    .contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"));

    NetworkPolicy migrations = rendered.get(NetworkPolicy.class, "securebase-migrations");
    assertThat(migrations.getSpec().getIngress()).isEmpty();
    assertThat(
            migrations.getSpec().getEgress().stream()
                .map(r -> describe(r.getPorts(), r.getTo()))
                .collect(Collectors.toSet()))
        .isEqualTo(Set.of("53 to kube-dns", "5432 to anywhere"));
    assertThat(Rendered.with("networkPolicy: {enabled: false}").all(NetworkPolicy.class)).isEmpty();
    // Narrowed by values: only the listed peers.
    NetworkPolicy narrowed =
        Rendered.with(
                """
                networkPolicy:
                  gatewayFrom: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress}}}]
                  postgresTo: [{ipBlock: {cidr: 10.1.2.0/24}}]
                """)
            .get(NetworkPolicy.class, name("gateway"));
    assertThat(narrowed.getSpec().getIngress().get(0).getFrom()).hasSize(1);
    assertThat(narrowed.getSpec().getEgress())
        .anyMatch(r -> describe(r.getPorts(), r.getTo()).equals("5432 to 10.1.2.0/24"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "services: {gateway: {replica: 3}}",
        "services: {gateway: {replicas: two}}",
        "image: {flavour: graal}",
        "kafka: {securityProtocol: SASL}",
        "postgress: {host: db}",
        "networkPolicy: {enabeld: false}",
        "services: {billing: {egress: {internet: yes-please}}}"
      })
  void theSchemaRefusesTyposWrongTypesAndUnknownValues(String values) {
    assertThatThrownBy(() -> Rendered.with(values))
        .hasMessageContaining("don't meet the specifications of the schema");
  }

  @Test
  void notesSayWhereTheGatewayIs() {
    String notes =
        new Helm(ChartRender.chart())
            .install()
            .withName(ChartRender.RELEASE)
            .withNamespace(ChartRender.NAMESPACE)
            .withKubeVersion(ChartRender.KUBE_VERSION)
            .dryRun()
            .withDryRunOption(DryRun.CLIENT)
            .clientOnly()
            .call()
            .getOutput();
    assertThat(notes)
        .contains("http://securebase-gateway.securebase.svc:8080")
        .contains("helm test securebase -n securebase")
        .contains("securebase-postgres-admin");
  }

  @Test
  void plainManifestsAreTheChartRenderedWithTheirValues() throws IOException {
    Path k8s = ChartRender.chart().resolveSibling("../k8s").normalize();
    List<Path> values = List.of(Path.of("deploy/k8s/values.yaml"));
    String expected =
        ChartRender.header(values) + ChartRender.render(List.of(k8s.resolve("values.yaml")));
    assertThat(Files.readString(k8s.resolve("securebase.yaml")))
        .as("deploy/k8s/securebase.yaml is out of date: run make k8s-manifests")
        .isEqualTo(expected);
    Rendered plain = Rendered.parse(Files.readString(k8s.resolve("securebase.yaml")));
    assertThat(plain.unknownFields()).isEmpty();
    assertThat(plain.all(Job.class)).isEmpty();
    SERVICES.forEach(
        (service, port) -> {
          assertWorkload(plain, service, port, "securebase-" + service + "-db");
          Map<String, EnvVar> env = env(container(plain, service));
          // No hooks: each pod migrates as it starts, so it needs the owner's login.
          assertSecretRef(
              env, "QUARKUS_FLYWAY_USERNAME", "securebase-" + service + "-db", "owner-username");
        });
  }

  /** The images the chart names: both flavours per service, non-root, on the chart's port. */
  @Test
  void everyServiceBuildsJvmAndNativeImagesThatRunAsANumericNonRootUser() throws IOException {
    Path services = ChartRender.chart().resolve("../../../services").normalize();
    for (var entry : SERVICES.entrySet()) {
      for (String flavour : List.of("jvm", "native")) {
        Path dockerfile =
            services.resolve(entry.getKey()).resolve("src/main/docker/Dockerfile." + flavour);
        List<String> lines = Files.readAllLines(dockerfile);
        assertThat(lines).as("%s", dockerfile).contains("EXPOSE " + entry.getValue());
        String user =
            lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
        assertThat(user).as("%s runs as", dockerfile).matches("USER [1-9][0-9]*");
      }
    }
  }
}
