package com.securebase.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the umbrella chart with the embedded Helm (helm-java), so neither {@code make
 * helm-template} nor the chart tests need a helm binary or a cluster.
 *
 * <p>{@code ChartRender [--values file]... [--write file]}: prints the manifests, or writes them
 * (how {@code deploy/k8s/securebase.yaml} is regenerated).
 */
public final class ChartRender {
  /** The release name and namespace of every rendering (deploy/k8s is rendered with them). */
  public static final String RELEASE = "securebase";

  public static final String NAMESPACE = "securebase";

  /** The Kubernetes version rendered for (helm template alone assumes an old 1.20). */
  public static final String KUBE_VERSION = "1.33.0";

  private ChartRender() {}

  /** The chart's directory, from the repository root or from a module directory below it. */
  public static Path chart() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path chart = dir.resolve("deploy/helm/securebase");
      if (Files.isRegularFile(chart.resolve("Chart.yaml"))) {
        return chart;
      }
    }
    throw new IllegalStateException("deploy/helm/securebase not found above " + Path.of(""));
  }

  /** The rendered manifests (helm template) with these values files, in order. */
  public static String render(List<Path> valuesFiles) {
    return render(chart(), valuesFiles);
  }

  /** The manifests of the chart at this directory (helm template; hooks are left out). */
  public static String render(Path chart, List<Path> valuesFiles) {
    TemplateCommand template =
        new Helm(chart)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    for (Path values : valuesFiles) {
      template = template.withValuesFile(values.toAbsolutePath());
    }
    return template.call();
  }

  public static void main(String[] args) throws IOException {
    List<Path> values = new ArrayList<>();
    Path write = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--values" -> values.add(Path.of(args[++i]));
        case "--write" -> write = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("usage: [--values file]... [--write file]");
      }
    }
    String manifests = render(values);
    if (write == null) {
      System.out.print(manifests);
    } else {
      Files.writeString(write, header(values) + manifests, StandardCharsets.UTF_8);
      System.out.println("Wrote " + write);
    }
  }

  /** The first lines of the generated file: what it is and how it is regenerated. */
  public static String header(List<Path> values) {
    return "# Generated from deploy/helm/securebase by `make k8s-manifests` (release "
        + RELEASE
        + ", namespace "
        + NAMESPACE
        + ", values "
        + String.join(" ", values.stream().map(Path::toString).toList())
        + "). Do not edit: change the chart.\n";
  }
}
