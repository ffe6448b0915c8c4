def test_login_page_renders_in_chinese(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "登录" in response.get_data(as_text=True)


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_signed_in_home(auth, client):
    auth.login_as("staff")
    response = client.get("/")
    assert response.status_code == 200
    assert "staff_a1姓名" in response.get_data(as_text=True)
