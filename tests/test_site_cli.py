"""`python -m site_builder build` reports a broken source text or a missing set-up step in one
line, not a traceback."""

from site_builder import assets, text
from site_builder.__main__ import main


def test_a_gap_in_the_article_numbers_fails_the_build_with_the_line(tmp_path, monkeypatch, capsys):
    policy = tmp_path / "policy"
    policy.mkdir()
    source = (text.POLICY_DIR / "education.txt").read_text(encoding="utf-8")
    (policy / "education.txt").write_text(source.replace("第九条", "第十九条", 1), encoding="utf-8")
    (policy / "health.txt").write_text((text.POLICY_DIR / "health.txt").read_text(encoding="utf-8"))
    monkeypatch.setattr(text, "POLICY_DIR", policy)
    text.load_measure.cache_clear()
    try:
        assert main(["build", "--site-dir", str(tmp_path / "site")]) == 1
    finally:
        text.load_measure.cache_clear()
    err = capsys.readouterr().err
    assert "build failed: line " in err and "第十九条 out of sequence" in err
    assert "Traceback" not in err


def test_a_missing_pyodide_package_fails_the_build_with_the_set_up_step(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(assets, "PYODIDE_NPM", tmp_path / "node_modules" / "pyodide")
    assets.pyodide_version.cache_clear()
    try:
        assert main(["build", "--site-dir", str(tmp_path / "site")]) == 1
    finally:
        assets.pyodide_version.cache_clear()
    err = capsys.readouterr().err
    assert "build failed: node_modules/pyodide is missing: run scripts/setup" in err
    assert "Traceback" not in err
