package com.securebase.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The chart rendered with some values and parsed into typed Kubernetes models (fabric8, and
 * Strimzi's for KafkaTopic): a wrong type fails the parse, and a field the model does not know (a
 * typo in a template) is reported by {@link #unknownFields()}.
 */
record Rendered(List<HasMetadata> objects) {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Renders the chart with these values (YAML text, applied in order over the defaults). */
  static Rendered with(String... values) {
    return of(ChartRender.chart(), values);
  }

  /**
   * The hook resources too: helm-java's template, like {@code helm install}, keeps hooks out of the
   * manifests, so this renders a copy of the chart whose hook annotations are renamed to {@code
   * test.securebase.dev/hook*}. The annotations themselves are asserted under that name.
   */
  static Rendered withHooks(String... values) {
    return of(HookView.CHART, values);
  }

  /** The chart's copy with renamed hook annotations, made once per test run. */
  private static final class HookView {
    static final Path CHART = copy();

    private static Path copy() {
      try {
        Path copy = Files.createTempDirectory("securebase-chart");
        Path chart = ChartRender.chart();
        try (Stream<Path> files = Files.walk(chart)) {
          for (Path source : files.toList()) {
            Path target = copy.resolve(chart.relativize(source).toString());
            if (Files.isDirectory(source)) {
              Files.createDirectories(target);
            } else {
              // Files.readString follows the symbolic links of files/ to the catalog and the SQL.
              Files.writeString(
                  target, Files.readString(source).replace("helm.sh/hook", HOOK_ANNOTATION));
            }
          }
        }
        return copy;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static final String HOOK_ANNOTATION = "test.securebase.dev/hook";

  private static Rendered of(Path chart, String... values) {
    List<Path> files = new ArrayList<>();
    try {
      for (String yaml : values) {
        Path file = Files.createTempFile("values", ".yaml");
        Files.writeString(file, yaml);
        files.add(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return parse(ChartRender.render(chart, files));
  }

  static Rendered parse(String manifests) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : manifests.split("(?m)^---\\s*$")) {
      if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
        continue;
      }
      Map<?, ?> raw = SERIALIZATION.unmarshal(document, Map.class);
      HasMetadata object =
          switch (String.valueOf(raw.get("kind"))) {
            case "KafkaTopic" -> SERIALIZATION.unmarshal(document, KafkaTopic.class);
            case "ServiceMonitor" -> SERIALIZATION.unmarshal(document, ServiceMonitor.class);
            default -> SERIALIZATION.unmarshal(document);
          };
      assertThat(object)
          .as("%s %s has a typed model", raw.get("kind"), object.getMetadata().getName())
          .isNotInstanceOf(GenericKubernetesResource.class);
      objects.add(object);
    }
    return new Rendered(objects);
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return find(type, name)
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  /** Paths of every field that landed in a model's additionalProperties (unknown to it). */
  List<String> unknownFields() {
    List<String> found = new ArrayList<>();
    for (HasMetadata object : objects) {
      walk(object, object.getKind() + "/" + object.getMetadata().getName(), found);
    }
    return found;
  }

  private static void walk(Object node, String path, List<String> found) {
    if (node == null) {
      return;
    }
    if (node instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", found);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> walk(value, path + "." + key, found));
      return;
    }
    String pkg = node.getClass().getPackageName();
    if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi")) {
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getName().equals("getClass")
          || getter.getReturnType().isPrimitive()
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(node);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          found.add(path + " " + extra.keySet());
        }
        continue;
      }
      walk(value, path + "." + getter.getName().substring(3), found);
    }
  }
}
