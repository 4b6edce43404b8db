package com.securebase.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time of a JVM's JIT compiler threads (HotSpot's "C1/C2 CompilerThread", Linux /proc), so a
 * benchmark can warm a service up until its compiler has settled instead of for a fixed count, and
 * say how much of the measured run the compiler still took.
 */
final class CompilerThreads {
  /** Linux reports thread CPU in clock ticks of USER_HZ, 100 a second on every mainstream build. */
  private static final double TICKS_PER_SECOND = 100.0;

  private final long pid;

  CompilerThreads(long pid) {
    this.pid = pid;
  }

  /** Seconds of CPU the compiler threads have used so far; negative where /proc cannot tell. */
  double cpuSeconds() {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (Stream<Path> threads = Files.list(tasks)) {
      long ticks = 0;
      for (Path thread : (Iterable<Path>) threads::iterator) {
        ticks += compilerTicks(thread);
      }
      return ticks / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** A compiler thread's user and system ticks; 0 for other threads and for one that has ended. */
  private static long compilerTicks(Path thread) {
    try {
      if (!Files.readString(thread.resolve("comm")).contains("CompilerThre")) {
        return 0;
      }
      String stat = Files.readString(thread.resolve("stat"));
      // The fields after the parenthesised name; utime and stime are the 12th and 13th of them.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException e) {
      return 0; // compiler threads come and go (UseDynamicNumberOfCompilerThreads)
    }
  }
}
