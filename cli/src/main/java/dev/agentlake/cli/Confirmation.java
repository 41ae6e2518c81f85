package dev.agentlake.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The question before anything destructive; {@code --yes} answers it in advance. */
final class Confirmation {
    private Confirmation() {
    }

    /**
     * @return true to go on
     * @throws IllegalArgumentException without a terminal to ask on and without {@code --yes}
     */
    static boolean ask(PrintWriter out, String question, boolean yes) {
        if (yes) {
            return true;
        }
        if (System.console() == null) {
            throw new IllegalArgumentException(question + " Refusing without a terminal to confirm on: add --yes.");
        }
        out.print(question + " [y/N] ");
        out.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && (answer.equalsIgnoreCase("y") || answer.equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }
}
