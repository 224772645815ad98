import MadoguchiApp

@main
struct Entrypoint {
    static func main() async {
        await MadoguchiCommand.main()
    }
}
