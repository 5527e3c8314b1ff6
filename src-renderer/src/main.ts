// The renderer's entry: the theme's stylesheet and the app. Without window.coilscope (the page
// opened outside the desktop app or `coilscope serve`) it says so instead of failing blank.
import { mount } from 'svelte'
import './app.css'
import App from './App.svelte'

const target = document.getElementById('app')!
if (window.coilscope) {
  mount(App, { target, props: { api: window.coilscope } })
} else {
  target.textContent = 'Coilscope: window.coilscope is missing. Open the desktop app, or the URL printed by `coilscope serve`.'
}
