package org.glovebox.federated.coordinator;

import java.util.List;
import java.util.Map;

/**
 * What the coordinator releases after each round: the participants, validation metrics of the model sent in that
 * round (aggregated under encryption), the privacy spent so far, the bytes each hospital sent for the round and the
 * round's wall time.
 *
 * @param round round number (1 …); the final evaluation-only round has {@code trained == false}
 * @param trained whether an update was aggregated (false for the closing evaluation)
 * @param participants hospitals whose uploads were aggregated
 * @param decryptors hospitals whose decryption shares were combined
 * @param validationCount validation samples over all participants
 * @param loss mean validation log loss
 * @param accuracy validation accuracy at 0.5
 * @param auc validation AUC (from aggregated score histograms)
 * @param epsilon privacy spent after this round (0 if DP is off)
 * @param bytesSent bytes each hospital uploaded for this round (update and decryption shares)
 * @param millis wall time from the round's opening to the model's release
 */
public record RoundReport(int round, boolean trained, List<String> participants, List<String> decryptors,
        long validationCount, double loss, double accuracy, double auc, double epsilon, Map<String, Long> bytesSent,
        long millis) {
}
