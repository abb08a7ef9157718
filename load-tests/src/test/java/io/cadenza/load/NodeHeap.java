package io.cadenza.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of node JVMs on this machine: {@code jcmd <pid> GC.run} (a full collection) twice,
 * then the heap's used size from {@code jcmd <pid> GC.heap_info}, and the process's resident size.
 * The nodes must run as the same OS user as Gatling (jcmd attaches to them).
 */
final class NodeHeap {

  /**
   * The heap's used size as {@code GC.heap_info} prints it: G1 and the other generational
   * collectors ({@code total 1048576K, used 245760K}), ZGC ({@code ZHeap used 240M, ...}) and
   * Shenandoah ({@code ..., 245760K used}); the number and its unit (K or M).
   */
  private static final Pattern USED =
      Pattern.compile(
          "heap\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)([KM])"
              + "|ZHeap\\s+used\\s+(\\d+)([KM])"
              + "|committed,\\s+(\\d+)([KM])\\s+used");

  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  private NodeHeap() {}

  /**
   * Per node and summed: {@code heap_used_kb}, {@code rss_kb}, and how long it took. With {@code
   * histogram} (a file name prefix, may be null) the live objects' class histogram of each node is
   * written next to it ({@code <prefix>-<pid>.txt}, the top 60 classes).
   */
  static Map<String, Object> measure(List<Long> pids, String histogram) {
    long start = System.nanoTime();
    List<Map<String, Object>> nodes = new ArrayList<>();
    long heap = 0;
    long rss = 0;
    for (long pid : pids) {
      jcmd(pid, "GC.run");
      jcmd(pid, "GC.run");
      String info = jcmd(pid, "GC.heap_info");
      Matcher used = USED.matcher(info);
      if (!used.find()) {
        throw new IllegalStateException("jcmd " + pid + " GC.heap_info said: " + info);
      }
      long heapKb = usedKb(used);
      if (histogram != null) {
        String top = String.join("\n", jcmd(pid, "GC.class_histogram").lines().limit(64).toList());
        try {
          Files.writeString(Path.of(histogram + "-" + pid + ".txt"), top + "\n");
        } catch (IOException e) {
          System.out.println("Could not write the class histogram: " + e);
        }
      }
      long rssKb = residentKb(pid);
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("pid", pid);
      node.put("heap_used_kb", heapKb);
      node.put("rss_kb", rssKb);
      nodes.add(node);
      heap += heapKb;
      rss += rssKb;
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("heap_used_kb", heap);
    result.put("rss_kb", rss);
    result.put("nodes", nodes);
    result.put("took_ms", (System.nanoTime() - start) / 1_000_000);
    System.out.printf("Heap after a full GC: %d KB on %d node(s).%n", heap, pids.size());
    return result;
  }

  /** The used size a {@link #USED} match names, in KB. */
  static long usedKb(Matcher used) {
    for (int group = 1; group < used.groupCount(); group += 2) {
      if (used.group(group) != null) {
        long value = Long.parseLong(used.group(group));
        return used.group(group + 1).equals("M") ? value * 1024 : value;
      }
    }
    throw new IllegalStateException("No used size in " + used.group());
  }

  private static String jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process process =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroy();
        throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("Could not run " + jcmd + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running jcmd", e);
    }
  }

  private static long residentKb(long pid) {
    try {
      Matcher rss = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
      return rss.find() ? Long.parseLong(rss.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    }
  }
}
