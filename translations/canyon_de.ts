<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>canyon::AddDeviceDialog</name>
    <message>
        <source>Add device</source>
        <translation>Gerät hinzufügen</translation>
    </message>
    <message>
        <source>e.g. kiosk-12</source>
        <translation>z. B. kiosk-12</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>user@host[:port] or an ~/.ssh/config alias</source>
        <translation>benutzer@host[:port] oder ein Alias aus ~/.ssh/config</translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation>&amp;Ziel:</translation>
    </message>
    <message>
        <source>&amp;Group:</source>
        <translation>&amp;Gruppe:</translation>
    </message>
    <message>
        <source>SSH agent and default keys</source>
        <translation>SSH-Agent und Standardschlüssel</translation>
    </message>
    <message>
        <source>Key file</source>
        <translation>Schlüsseldatei</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>&amp;Authentication:</source>
        <translation>&amp;Anmeldung:</translation>
    </message>
    <message>
        <source>~/.ssh/id_ed25519</source>
        <translation>~/.ssh/id_ed25519</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <source>&amp;Key file:</source>
        <translation>&amp;Schlüsseldatei:</translation>
    </message>
    <message>
        <source>only if the key is encrypted</source>
        <translation>nur wenn der Schlüssel verschlüsselt ist</translation>
    </message>
    <message>
        <source>Pass&amp;phrase:</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Pass&amp;wort:</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>S&amp;topp</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>&amp;Add device</source>
        <translation>Gerät &amp;hinzufügen</translation>
    </message>
    <message>
        <source>Enter the device&apos;s address, then Connect to check it before adding it.</source>
        <translation>Geben Sie die Adresse des Geräts ein und prüfen Sie sie mit „Verbinden“, bevor Sie es hinzufügen.</translation>
    </message>
    <message>
        <source>Choose a private key</source>
        <translation>Privaten Schlüssel wählen</translation>
    </message>
    <message>
        <source>The settings changed: connect again to check them.</source>
        <translation>Die Einstellungen haben sich geändert: Verbinden Sie erneut, um sie zu prüfen.</translation>
    </message>
    <message>
        <source>Give the device a name.</source>
        <translation>Geben Sie dem Gerät einen Namen.</translation>
    </message>
    <message>
        <source>A device named &quot;%1&quot; already exists.</source>
        <translation>Ein Gerät namens „%1“ gibt es bereits.</translation>
    </message>
    <message>
        <source>The target is not valid: %1</source>
        <translation>Das Ziel ist ungültig: %1</translation>
    </message>
    <message>
        <source>Choose the private key file.</source>
        <translation>Wählen Sie die Datei mit dem privaten Schlüssel.</translation>
    </message>
    <message>
        <source>The key file %1 cannot be read.</source>
        <translation>Die Schlüsseldatei %1 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Enter the password.</source>
        <translation>Geben Sie das Passwort ein.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbindung zu %1 wird aufgebaut…</translation>
    </message>
    <message>
        <source>Stopped. Nothing was added.</source>
        <translation>Angehalten. Es wurde nichts hinzugefügt.</translation>
    </message>
    <message>
        <source>Connected to %1.</source>
        <translation>Mit %1 verbunden.</translation>
    </message>
    <message>
        <source>Connected to %1 (dialect: %2). Add it to the fleet?</source>
        <translation>Mit %1 verbunden (Dialekt: %2). Zur Flotte hinzufügen?</translation>
    </message>
    <message>
        <source>The host key of %1 is not known yet.</source>
        <translation>Der Host-Schlüssel von %1 ist noch nicht bekannt.</translation>
    </message>
    <message>
        <source>The host key was not trusted. Nothing was run and nothing was added.</source>
        <translation>Dem Host-Schlüssel wurde nicht vertraut. Es wurde nichts ausgeführt und nichts hinzugefügt.</translation>
    </message>
    <message>
        <source>Refused: the host key of %1 has changed. Nothing was run on this host.</source>
        <translation>Abgelehnt: Der Host-Schlüssel von %1 hat sich geändert. Auf diesem Host wurde nichts ausgeführt.</translation>
    </message>
    <message>
        <source>The key file is encrypted: enter its passphrase and connect again.</source>
        <translation>Die Schlüsseldatei ist verschlüsselt: Geben Sie ihre Passphrase ein und verbinden Sie erneut.</translation>
    </message>
    <message>
        <source>The passphrase was not accepted: enter it again and connect.</source>
        <translation>Die Passphrase wurde nicht akzeptiert: Geben Sie sie erneut ein und verbinden Sie.</translation>
    </message>
    <message>
        <source>Could not connect to %1: %2.</source>
        <translation>Keine Verbindung zu %1 möglich: %2.</translation>
    </message>
    <message>
        <source>The device could not be added: %1</source>
        <translation>Das Gerät konnte nicht hinzugefügt werden: %1</translation>
    </message>
    <message>
        <source>&amp;Remember in the keychain</source>
        <translation>Im &amp;Schlüsselbund speichern</translation>
    </message>
    <message>
        <source>No keychain is available: the secret is kept for this session only.</source>
        <translation>Kein Schlüsselbund verfügbar: Das Geheimnis wird nur für diese Sitzung behalten.</translation>
    </message>
    <message>
        <source>&amp;Remember in the keychain (looking for one…)</source>
        <translation>Im &amp;Schlüsselbund speichern (wird gesucht …)</translation>
    </message>
    <message>
        <source>&amp;Remember in the keychain (none available: asked each time)</source>
        <translation>Im &amp;Schlüsselbund speichern (keiner verfügbar: jedes Mal nachfragen)</translation>
    </message>
</context>
<context>
    <name>canyon::DemoFleet</name>
    <message>
        <source>Cannot create a temporary directory: %1</source>
        <translation>Ein temporäres Verzeichnis kann nicht angelegt werden: %1</translation>
    </message>
    <message>
        <source>Cannot create the demo directories in %1</source>
        <translation>Die Demo-Verzeichnisse in %1 können nicht angelegt werden</translation>
    </message>
    <message>
        <source>The fleet simulator canyon-fleetsim was not found next to %1.</source>
        <translation>Der Flottensimulator canyon-fleetsim wurde neben %1 nicht gefunden.</translation>
    </message>
    <message>
        <source>ssh-keygen could not be started (is OpenSSH&apos;s client installed?)</source>
        <translation>ssh-keygen konnte nicht gestartet werden (ist der OpenSSH-Client installiert?)</translation>
    </message>
    <message>
        <source>ssh-keygen failed for %1: %2</source>
        <translation>ssh-keygen ist für %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>The fleet simulator could not be started: %1</source>
        <translation>Der Flottensimulator konnte nicht gestartet werden: %1</translation>
    </message>
    <message>
        <source>The fleet simulator did not become ready in time.</source>
        <translation>Der Flottensimulator wurde nicht rechtzeitig bereit.</translation>
    </message>
    <message>
        <source>The fleet simulator reported an invalid port.</source>
        <translation>Der Flottensimulator hat einen ungültigen Port gemeldet.</translation>
    </message>
    <message>
        <source>The fleet simulator exited (code %1) before it was ready.</source>
        <translation>Der Flottensimulator wurde beendet (Code %1), bevor er bereit war.</translation>
    </message>
    <message>
        <source>The fleet simulator stopped (code %1); the demo devices are gone.</source>
        <translation>Der Flottensimulator wurde beendet (Code %1); die Demo-Geräte sind nicht mehr da.</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>%1 kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>Unexpected public key format in %1</source>
        <translation>Unerwartetes Format des öffentlichen Schlüssels in %1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Some demo devices could not be added:</source>
        <translation>Einige Demo-Geräte konnten nicht hinzugefügt werden:</translation>
    </message>
</context>
<context>
    <name>canyon::DeviceSummaryWidget</name>
    <message>
        <source>Address:</source>
        <translation>Adresse:</translation>
    </message>
    <message>
        <source>Dialect:</source>
        <translation>Dialekt:</translation>
    </message>
    <message>
        <source>System:</source>
        <translation>System:</translation>
    </message>
    <message>
        <source>snapd:</source>
        <translation>snapd:</translation>
    </message>
    <message>
        <source>Last inventory:</source>
        <translation>Letzte Bestandsaufnahme:</translation>
    </message>
    <message>
        <source>Kernel:</source>
        <translation>Kernel:</translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation>Architektur:</translation>
    </message>
    <message>
        <source>Hostname:</source>
        <translation>Hostname:</translation>
    </message>
    <message>
        <source>Snaps refreshed:</source>
        <translation>Snaps aktualisiert:</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>No device selected</source>
        <translation>Kein Gerät ausgewählt</translation>
    </message>
    <message>
        <source>Select a device in the fleet tree to see its system and snaps.</source>
        <translation>Wählen Sie im Flottenbaum ein Gerät, um sein System und seine Snaps zu sehen.</translation>
    </message>
    <message>
        <source>%1/%2 reachable</source>
        <translation>%1/%2 erreichbar</translation>
    </message>
    <message numerus="yes">
        <source>A group of %n device(s). Select a device to see its snaps.</source>
        <translation>
            <numerusform>Eine Gruppe mit %n Gerät. Wählen Sie ein Gerät, um seine Snaps zu sehen.</numerusform>
            <numerusform>Eine Gruppe mit %n Geräten. Wählen Sie ein Gerät, um seine Snaps zu sehen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Offered key: %1 %2</source>
        <translation>Angebotener Schlüssel: %1 %2</translation>
    </message>
    <message>
        <source>Trusted key: %1 %2</source>
        <translation>Vertrauenswürdiger Schlüssel: %1 %2</translation>
    </message>
    <message>
        <source>Nothing was run on this host.</source>
        <translation>Auf diesem Host wurde nichts ausgeführt.</translation>
    </message>
    <message>
        <source>%1 devices selected; showing the current one.</source>
        <translation>%1 Geräte ausgewählt; das aktuelle wird angezeigt.</translation>
    </message>
    <message>
        <source>Not contacted yet.</source>
        <translation>Noch nicht kontaktiert.</translation>
    </message>
    <message>
        <source>Snaps shown are the last known ones, read %1.</source>
        <translation>Die angezeigten Snaps sind die zuletzt bekannten, gelesen %1.</translation>
    </message>
    <message>
        <source>Updates could not be determined: %1</source>
        <translation>Aktualisierungen konnten nicht ermittelt werden: %1</translation>
    </message>
    <message>
        <source>%1 (forced)</source>
        <translation>%1 (erzwungen)</translation>
    </message>
    <message>
        <source>series %1</source>
        <translation>Serie %1</translation>
    </message>
    <message>
        <source>snappy:</source>
        <translation>snappy:</translation>
    </message>
    <message>
        <source>%1 (%2 ms)</source>
        <translation>%1 (%2 ms)</translation>
    </message>
</context>
<context>
    <name>canyon::HostKeyDialog</name>
    <message>
        <source>(not recorded)</source>
        <translation>(nicht gespeichert)</translation>
    </message>
    <message>
        <source>Unknown host key</source>
        <translation>Unbekannter Host-Schlüssel</translation>
    </message>
    <message>
        <source>Canyon has never connected to %1 before.</source>
        <translation>Canyon hat sich noch nie mit %1 verbunden.</translation>
    </message>
    <message>
        <source>Compare this fingerprint with the one the device itself shows (for example: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the device) before you trust it. Nothing has been run on the host yet.</source>
        <translation>Vergleichen Sie diesen Fingerabdruck mit dem, den das Gerät selbst anzeigt (zum Beispiel: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub auf dem Gerät), bevor Sie ihm vertrauen. Auf dem Host wurde noch nichts ausgeführt.</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>Host:</translation>
    </message>
    <message>
        <source>Key type:</source>
        <translation>Schlüsseltyp:</translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation>Fingerabdruck:</translation>
    </message>
    <message>
        <source>Trust and connect</source>
        <translation>Vertrauen und verbinden</translation>
    </message>
    <message>
        <source>Host key changed: connection refused</source>
        <translation>Host-Schlüssel geändert: Verbindung abgelehnt</translation>
    </message>
    <message>
        <source>The host key of %1 has changed. Canyon refused to connect.</source>
        <translation>Der Host-Schlüssel von %1 hat sich geändert. Canyon hat die Verbindung abgelehnt.</translation>
    </message>
    <message>
        <source>This can mean that someone is intercepting the connection, or that the device was reinstalled.</source>
        <translation>Das kann bedeuten, dass jemand die Verbindung abfängt, oder dass das Gerät neu installiert wurde.</translation>
    </message>
    <message>
        <source>Trusted key:</source>
        <translation>Vertrauenswürdiger Schlüssel:</translation>
    </message>
    <message>
        <source>Offered key:</source>
        <translation>Angebotener Schlüssel:</translation>
    </message>
    <message>
        <source>Nothing was run on this host. If the change is expected, remove the old key from the known_hosts file and try again.</source>
        <translation>Auf diesem Host wurde nichts ausgeführt. Wenn die Änderung erwartet ist, entfernen Sie den alten Schlüssel aus der known_hosts-Datei und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>Canyon&apos;s known_hosts file: %1</source>
        <translation>known_hosts-Datei von Canyon: %1</translation>
    </message>
</context>
<context>
    <name>canyon::MainWindow</name>
    <message>
        <source>Canyon</source>
        <translation>Canyon</translation>
    </message>
    <message>
        <source>&amp;Add Device…</source>
        <translation>Gerät &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Add an SSH device to the fleet (Ctrl+N)</source>
        <translation>Ein SSH-Gerät zur Flotte hinzufügen (Strg+N)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>Neu &amp;laden</translation>
    </message>
    <message>
        <source>Refresh the inventory of every device (F5)</source>
        <translation>Die Bestandsaufnahme aller Geräte neu laden (F5)</translation>
    </message>
    <message>
        <source>Refresh &amp;Selected</source>
        <translation>Au&amp;swahl neu laden</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>Anhal&amp;ten</translation>
    </message>
    <message>
        <source>Stop the refresh: devices not yet contacted are skipped</source>
        <translation>Das Neuladen anhalten: Noch nicht kontaktierte Geräte werden übersprungen</translation>
    </message>
    <message>
        <source>Coming in a later release</source>
        <translation>Kommt in einer späteren Version</translation>
    </message>
    <message>
        <source>&amp;Update</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Roll &amp;Back</source>
        <translation>&amp;Zurücksetzen</translation>
    </message>
    <message>
        <source>Re&amp;move Device…</source>
        <translation>Gerät &amp;entfernen…</translation>
    </message>
    <message>
        <source>&amp;Filter</source>
        <translation>&amp;Filter</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Fleet</source>
        <translation>F&amp;lotte</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Haupt</translation>
    </message>
    <message>
        <source>Filter devices and snaps (Ctrl+F)</source>
        <translation>Geräte und Snaps filtern (Strg+F)</translation>
    </message>
    <message>
        <source>%v/%m</source>
        <translation>%v/%m</translation>
    </message>
    <message>
        <source>A refresh is running; this one starts when it ends.</source>
        <translation>Ein Neuladen läuft bereits; dieses beginnt, sobald es fertig ist.</translation>
    </message>
    <message>
        <source>The refresh could not be started.</source>
        <translation>Das Neuladen konnte nicht gestartet werden.</translation>
    </message>
    <message>
        <source>Stopping the refresh…</source>
        <translation>Das Neuladen wird angehalten…</translation>
    </message>
    <message>
        <source>Remove devices</source>
        <translation>Geräte entfernen</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n device(s) from the fleet?</source>
        <translation>
            <numerusform>%n Gerät aus der Flotte entfernen?</numerusform>
            <numerusform>%n Geräte aus der Flotte entfernen?</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>%1/%2 devices reachable</source>
        <translation>%1/%2 Geräte erreichbar</translation>
    </message>
    <message>
        <source>, refreshing %1</source>
        <translation>, %1 wird neu geladen</translation>
    </message>
    <message>
        <source>Not remembered</source>
        <translation>Nicht gespeichert</translation>
    </message>
    <message>
        <source>The secret of %1 could not be stored in the keychain: %2</source>
        <translation>Das Geheimnis von %1 konnte nicht im Schlüsselbund gespeichert werden: %2</translation>
    </message>
    <message>
        <source>Snaps</source>
        <translation>Snaps</translation>
    </message>
    <message>
        <source>Config &amp;&amp; Logs</source>
        <translation>Konfiguration &amp;&amp; Protokolle</translation>
    </message>
    <message>
        <source>Enter &amp;Password…</source>
        <translation>&amp;Passwort eingeben …</translation>
    </message>
    <message>
        <source>Give the password or key passphrase this device needs</source>
        <translation>Das Passwort oder die Schlüssel-Passphrase eingeben, die dieses Gerät braucht</translation>
    </message>
    <message>
        <source>%1: authentication failed. Use “Enter Password…” in its context menu.</source>
        <translation>%1: Anmeldung fehlgeschlagen. Verwenden Sie „Passwort eingeben …“ in seinem Kontextmenü.</translation>
    </message>
</context>
<context>
    <name>canyon::TextViewer</name>
    <message>
        <source>Find in text</source>
        <translation>Im Text suchen</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Find the previous match (Shift+F3)</source>
        <translation>Vorherigen Treffer suchen (Umschalt+F3)</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>Find the next match (F3)</source>
        <translation>Nächsten Treffer suchen (F3)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Close the search bar (Esc)</source>
        <translation>Suchleiste schließen (Esc)</translation>
    </message>
    <message>
        <source>Find…</source>
        <translation>Suchen…</translation>
    </message>
    <message>
        <source>Find Next</source>
        <translation>Weitersuchen</translation>
    </message>
    <message>
        <source>Find Previous</source>
        <translation>Rückwärts suchen</translation>
    </message>
    <message>
        <source>Save As…</source>
        <translation>Speichern unter…</translation>
    </message>
    <message>
        <source>Close Search</source>
        <translation>Suche schließen</translation>
    </message>
    <message>
        <source>Wrapped to the end</source>
        <translation>Am Ende fortgesetzt</translation>
    </message>
    <message>
        <source>Wrapped to the start</source>
        <translation>Am Anfang fortgesetzt</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Nicht gefunden</translation>
    </message>
    <message>
        <source>Save As</source>
        <translation>Speichern unter</translation>
    </message>
    <message>
        <source>The text could not be saved to %1: %2</source>
        <translation>Der Text konnte nicht in %1 gespeichert werden: %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Console for fleets of snap devices over SSH.</source>
        <translation>Konsole für Flotten von Snap-Geräten über SSH.</translation>
    </message>
    <message>
        <source>Keep everything Canyon writes in DIR.</source>
        <translation>Alles, was Canyon schreibt, in VERZ ablegen.</translation>
    </message>
    <message>
        <source>DIR</source>
        <translation>VERZ</translation>
    </message>
    <message>
        <source>Show a simulated fleet (in a temporary directory).</source>
        <translation>Eine simulierte Flotte zeigen (in einem temporären Verzeichnis).</translation>
    </message>
    <message>
        <source>Open the window over an empty temporary configuration and quit (a packaging check).</source>
        <translation>Das Fenster über einer leeren temporären Konfiguration öffnen und beenden (eine Paketprüfung).</translation>
    </message>
    <message>
        <source>canyon: --demo and --config cannot be combined
</source>
        <translation>canyon: --demo und --config können nicht kombiniert werden
</translation>
    </message>
    <message>
        <source>The fleet could not be loaded</source>
        <translation>Die Flotte konnte nicht geladen werden</translation>
    </message>
    <message>
        <source>Demo fleet</source>
        <translation>Demo-Flotte</translation>
    </message>
</context>
<context>
    <name>canyon::ConfigLogsWidget</name>
    <message>
        <source>S&amp;nap:</source>
        <translation>S&amp;nap:</translation>
    </message>
    <message>
        <source>&amp;Info</source>
        <translation>&amp;Info</translation>
    </message>
    <message>
        <source>&amp;Logs (last %1 lines)</source>
        <translation>&amp;Protokoll (letzte %1 Zeilen)</translation>
    </message>
    <message>
        <source>The journal of the snap&apos;s services: snap logs NAME -n %1</source>
        <translation>Das Journal der Dienste des Snaps: snap logs NAME -n %1</translation>
    </message>
    <message>
        <source>&amp;Versions</source>
        <translation>&amp;Versionen</translation>
    </message>
    <message>
        <source>Every installed version of every part: snappy versions -a</source>
        <translation>Jede installierte Version jedes Teils: snappy versions -a</translation>
    </message>
    <message>
        <source>C&amp;hange:</source>
        <translation>&amp;Änderung:</translation>
    </message>
    <message>
        <source>Show the changes first</source>
        <translation>Zuerst die Änderungen anzeigen</translation>
    </message>
    <message>
        <source>&amp;Changes</source>
        <translation>Än&amp;derungen</translation>
    </message>
    <message>
        <source>The device&apos;s recent changes: snap changes</source>
        <translation>Die letzten Änderungen des Geräts: snap changes</translation>
    </message>
    <message>
        <source>&amp;Tasks</source>
        <translation>&amp;Aufgaben</translation>
    </message>
    <message>
        <source>The tasks of the selected change: snap tasks ID</source>
        <translation>Die Aufgaben der gewählten Änderung: snap tasks ID</translation>
    </message>
    <message>
        <source>Select a device to read its snap details, changes and logs.</source>
        <translation>Wählen Sie ein Gerät, um seine Snap-Details, Änderungen und Protokolle zu lesen.</translation>
    </message>
    <message>
        <source>Refresh %1 first: its snap dialect is not known yet.</source>
        <translation>Aktualisieren Sie zuerst %1: sein Snap-Dialekt ist noch nicht bekannt.</translation>
    </message>
    <message>
        <source>Choose what to show for %1.</source>
        <translation>Wählen Sie, was für %1 angezeigt werden soll.</translation>
    </message>
    <message>
        <source>The device&apos;s release and parts: snappy info</source>
        <translation>Release und Teile des Geräts: snappy info</translation>
    </message>
    <message>
        <source>Details of the selected snap: snap info NAME</source>
        <translation>Details des gewählten Snaps: snap info NAME</translation>
    </message>
    <message>
        <source>The 2014 snappy command line has no changes, tasks or service logs.</source>
        <translation>Die snappy-Befehlszeile von 2014 kennt keine Änderungen, Aufgaben oder Dienstprotokolle.</translation>
    </message>
    <message>
        <source>Choose a snap first.</source>
        <translation>Wählen Sie zuerst einen Snap.</translation>
    </message>
    <message>
        <source>This snap name cannot be passed to the device.</source>
        <translation>Dieser Snap-Name kann nicht an das Gerät übergeben werden.</translation>
    </message>
    <message>
        <source>Choose a change first.</source>
        <translation>Wählen Sie zuerst eine Änderung.</translation>
    </message>
    <message>
        <source>The 2014 snappy command line cannot show this.</source>
        <translation>Die snappy-Befehlszeile von 2014 kann das nicht anzeigen.</translation>
    </message>
    <message>
        <source>This device&apos;s command line cannot show this.</source>
        <translation>Die Befehlszeile dieses Geräts kann das nicht anzeigen.</translation>
    </message>
    <message>
        <source>%1 is not a device of this fleet.</source>
        <translation>%1 ist kein Gerät dieser Flotte.</translation>
    </message>
    <message>
        <source>Running “%1” on %2…</source>
        <translation>„%1“ läuft auf %2 …</translation>
    </message>
    <message>
        <source>“%1” on %2 failed: %3.</source>
        <translation>„%1“ auf %2 fehlgeschlagen: %3.</translation>
    </message>
    <message numerus="yes">
        <source>“%1” on %2: %n line(s) in %3 s.</source>
        <translation>
            <numerusform>„%1“ auf %2: %n Zeile in %3 s.</numerusform>
            <numerusform>„%1“ auf %2: %n Zeilen in %3 s.</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” on %2 ended with exit status %3. %4</source>
        <translation>„%1“ auf %2 endete mit Exit-Status %3. %4</translation>
    </message>
</context>
<context>
    <name>canyon::KeychainSecrets</name>
    <message>
        <source>Looking for a keychain…</source>
        <translation>Schlüsselbund wird gesucht …</translation>
    </message>
    <message>
        <source>No keychain (Secret Service or KWallet) is available: Canyon keeps the secret for this session only and asks for it again next time.</source>
        <translation>Kein Schlüsselbund (Secret Service oder KWallet) verfügbar: Canyon behält das Geheimnis nur für diese Sitzung und fragt beim nächsten Mal erneut.</translation>
    </message>
    <message>
        <source>There is nothing to remember.</source>
        <translation>Es gibt nichts zu speichern.</translation>
    </message>
</context>
<context>
    <name>canyon::PasswordDialog</name>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Key passphrase</source>
        <translation>Schlüssel-Passphrase</translation>
    </message>
    <message>
        <source>Password for the device %1:</source>
        <translation>Passwort für das Gerät %1:</translation>
    </message>
    <message>
        <source>Passphrase of the key file of the device %1:</source>
        <translation>Passphrase der Schlüsseldatei des Geräts %1:</translation>
    </message>
    <message>
        <source>&amp;Remember in the keychain</source>
        <translation>Im &amp;Schlüsselbund speichern</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>No keychain is available: the secret is kept for this session only.</source>
        <translation>Kein Schlüsselbund verfügbar: Das Geheimnis wird nur für diese Sitzung behalten.</translation>
    </message>
</context>
</TS>
