package dev.openshell.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.cli.run.ShellScript.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code openshell run} in pipelines as a shell user writes them (root, real sandboxes): the
 * command's output goes straight into the caller's pipe, a reader that closes ends the writer
 * with SIGPIPE, stdin's end reaches the command, and a {@code --log} copy keeps all of that.
 */
class RunPipesIT {

    @TempDir
    static Path cache;

    @TempDir
    Path tmp;

    private ShellScript shell;

    @BeforeEach
    void checkout() throws Exception {
        shell = ShellScript.asRoot(cache, tmp);
    }

    @Test
    void theCommandWritesIntoTheCallersOwnPipe() throws Exception {
        // The same pipe inode outside and inside: no relay copies the output on its way.
        Outcome o = shell.run("{ readlink /proc/self/fd/1; \"$OPENSHELL\" run -- readlink /proc/self/fd/1;"
                + " \"$OPENSHELL\" run -- sh -c 'readlink /proc/self/fd/2 >&2' 2>&1; } | cat");

        assertThat(o.exitCode()).as(o.toString()).isZero();
        assertThat(o.out().lines().toList()).as(o.toString()).hasSize(3).allMatch(l -> l.startsWith("pipe:["));
        assertThat(o.out().lines().distinct()).as(o.toString()).hasSize(1);
    }

    @Test
    void aReaderThatClosesEndsTheWriterWithSigpipeAtOnce() throws Exception {
        Outcome o = shell.run(
                "\"$OPENSHELL\" run -- yes | head -1; echo \"run=${PIPESTATUS[0]}\";"
                        + " \"$OPENSHELL\" run -- sh -c 'seq 1 100000000; echo after $? >&2' | head -2;"
                        + " echo \"run=${PIPESTATUS[0]}\"",
                Duration.ofSeconds(60));

        assertThat(o.out()).as(o.toString()).isEqualTo("y\nrun=141\n1\n2\nrun=0\n");
        assertThat(o.err()).as(o.toString()).contains("after 141");
    }

    @Test
    void stdinAndItsEndReachTheCommand() throws Exception {
        Outcome o = shell.run(
                "printf 'a\\nb\\n' | \"$OPENSHELL\" run -- wc -l;"
                        + " \"$OPENSHELL\" run -- cat </dev/null; echo \"cat=$?\";"
                        + " echo hello | \"$OPENSHELL\" run -- sh -c 'read line; echo \"got $line\"; read more; echo \"eof $?\"'");

        assertThat(o.out()).as(o.toString()).isEqualTo("2\ncat=0\ngot hello\neof 1\n");
    }

    @Test
    void largeOutputArrivesWhole() throws Exception {
        Outcome o = shell.run("\"$OPENSHELL\" run -- head -c 100000000 /dev/zero | wc -c;"
                + " \"$OPENSHELL\" run -- seq 1 1000000 | tail -1");

        assertThat(o.out()).as(o.toString()).isEqualTo("100000000\n1000000\n");
    }

    @Test
    void withALogFileTheOutputIsCopiedThereAndPipesStillBehave() throws Exception {
        Path log = tmp.resolve("sandbox.jsonl");

        Outcome o = shell.run(
                "\"$OPENSHELL\" run --log " + log + " -- sh -c 'echo out; echo err >&2; exit 3';"
                        + " echo \"run=$?\"; \"$OPENSHELL\" run --log " + log + ".2 -- yes | head -1;"
                        + " echo \"run=${PIPESTATUS[0]}\"",
                Duration.ofSeconds(60));

        assertThat(o.out()).as(o.toString()).isEqualTo("out\nrun=3\ny\nrun=141\n");
        assertThat(o.err()).as(o.toString()).contains("err\n");
        assertThat(Files.readString(log))
                .contains("\"stream\":\"stdout\",\"text\":\"out\"", "\"stream\":\"stderr\",\"text\":\"err\"")
                .contains("\"stream\":\"supervisor\"");
    }
}
