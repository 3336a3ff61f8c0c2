from powerbase.cli.main import app

app(prog_name="powerbase")
