import ArgumentParser
import Foundation
import Synchronization
import Hummingbird
import Logging
import MadoguchiCore
import MadoguchiDevices
import MadoguchiStorage
import MadoguchiWeb
import ServiceLifecycle

struct PrintAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print-agent", abstract: "発券機の番号札をサーマルプリンター（ESC/POS）で印刷し続けます。")
    @Option(help: "発券機のID") var kiosk: String
    @Option(help: "プリンター: tcp://ホスト:9100 またはデバイスのパス（/dev/usb/lp0）") var printer: String
    @Option(help: "サーバーのURL（既定: MADOGUCHI_SERVER_URL か http://127.0.0.1:8080）") var server: String?
    @Option(help: "`madoguchi kiosks agent-key` の鍵（既定: MADOGUCHI_AGENT_KEY）") var key: String?
    @Option(help: "プリンターの異常時などに再試行する間隔（秒）") var retrySeconds: Double = 5
    @Option(help: "設定ファイル（YAML。既定: MADOGUCHI_CONFIG_FILE）") var config: String?

    func run() async throws {
        let settings = try await SettingsOptions.settings([.serverURL: server, .agentKey: key, .configFile: config])
        guard let key = settings.agentKey else {
            throw ValidationError("印刷エージェントの鍵を --key か MADOGUCHI_AGENT_KEY で指定してください（madoguchi kiosks agent-key で作れます）。")
        }
        let address: PrinterAddress
        do { address = try PrinterAddress(parsing: printer) } catch let error as PrinterError { throw ValidationError(error.description) }
        let server = settings.serverURL
        var logger = Logger(label: "madoguchi.print-agent")
        logger.logLevel = .info
        guard retrySeconds >= 0.1, retrySeconds <= 3600 else { throw ValidationError("--retry-seconds は0.1から3600の間で指定してください。") }
        var agent = PrintAgent(server: server, kioskID: kiosk, key: key, printer: ThermalPrinter(address: address), logger: logger)
        agent.retryInterval = .milliseconds(Int(retrySeconds * 1000))
        do {
            try await agent.runUntilStopped { office in
                FileHandle.standardOutput.write(Data("印刷エージェントを開始しました（発券機 \(kiosk)、窓口 \(office)、プリンター \(address)）\n".utf8))
            }
        } catch let failure as PrintAgent.AgentFailure {
            throw ValidationError(failure.description)
        }
    }
}
